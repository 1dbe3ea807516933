//! Value filters (`emails[type eq "work" and value co "@x"]`): every condition on the same
//! element of the value index, or on one membership row for `members[...]`/`groups[...]`.

use scimgate_domain::error::DomainResult;
use scimgate_domain::filter::{AttrPath, CompValue, CompareOp, Filter};
use scimgate_domain::resource::searchable::path_key;
use sea_orm::sea_query::{Expr, ExprTrait, Query};

use super::{FilterCompiler, Scope, alias, invariant, resource_id, sub_of};
use crate::db::entities::resource_values as rv;

impl FilterCompiler<'_> {
    pub(super) fn value_path(
        &self,
        path: &AttrPath,
        filter: &Filter,
        scope: &Scope,
    ) -> DomainResult<Expr> {
        if !matches!(scope, Scope::Resource) {
            return Err(invariant("value paths cannot be nested".into()));
        }
        let attr = self.resolved(path)?;
        // One positive condition on one sub-attribute needs no element correlation:
        // `emails[value eq "x"]` is `emails.value eq "x"`, an index probe from the value
        // instead of a walk over every email of the tenant.
        if let Filter::Compare {
            path: sub,
            op,
            value,
        } = filter
            && *op != CompareOp::Ne
            && !matches!(value, CompValue::Null)
        {
            let flat = AttrPath {
                sub_attribute: Some(sub.attribute.clone()),
                ..path.clone()
            };
            return self.compare(&flat, *op, value, scope);
        }
        if let Some(relation) = self.relation(&attr) {
            let inner = self.compile(filter, &Scope::Membership(relation))?;
            return self.in_membership(relation, inner);
        }
        let key = path_key(self.extension_of(&attr), attr.attribute.name, None);
        let inner = self.compile(
            filter,
            &Scope::Element {
                parent: &attr,
                key: &key,
            },
        )?;
        // The rows `e` stands for: one per element, or, when every match must have a
        // sub-attribute satisfying a comparison, only those sub-attribute rows (same
        // resource and element), so the lookup starts from that value's index entry instead
        // of from every element of the tenant.
        let (driver_key, driver) = match driving_comparison(filter) {
            Some((sub, op, value)) => {
                let def = sub_of(&attr, sub)?;
                (
                    format!("{key}.{}", def.name.to_lowercase()),
                    self.value_compare(&alias("e"), def, op, value)?,
                )
            }
            None => (
                key.clone(),
                Expr::col((alias("e"), rv::Column::ValueNorm)).is_null(),
            ),
        };
        let mut select = Query::select();
        select
            .column((alias("e"), rv::Column::ResourceId))
            .from_as(rv::Entity, alias("e"))
            .and_where(Expr::col((alias("e"), rv::Column::TenantId)).eq(self.tenant))
            .and_where(Expr::col((alias("e"), rv::Column::AttrPath)).eq(driver_key))
            .and_where(driver)
            .and_where(inner);
        Ok(resource_id().in_subquery(select))
    }

    /// A sub-attribute row of the same element as the enclosing `e` row.
    pub(super) fn element_exists(&self, key: &str, cond: Expr) -> Expr {
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from_as(rv::Entity, alias("v"))
            .and_where(
                Expr::col((alias("v"), rv::Column::TenantId))
                    .equals((alias("e"), rv::Column::TenantId)),
            )
            .and_where(
                Expr::col((alias("v"), rv::Column::ResourceId))
                    .equals((alias("e"), rv::Column::ResourceId)),
            )
            .and_where(
                Expr::col((alias("v"), rv::Column::Element))
                    .equals((alias("e"), rv::Column::Element)),
            )
            .and_where(Expr::col((alias("v"), rv::Column::AttrPath)).eq(key.to_owned()))
            .and_where(cond);
        Expr::exists(select)
    }
}

/// A comparison every match of an element filter must satisfy (an operand of its top-level
/// `and` chain, positive, not against null): the most selective one is where a lookup starts.
fn driving_comparison(filter: &Filter) -> Option<(&AttrPath, CompareOp, &CompValue)> {
    fn candidates<'f>(filter: &'f Filter, out: &mut Vec<(&'f AttrPath, CompareOp, &'f CompValue)>) {
        match filter {
            Filter::And(a, b) => {
                candidates(a, out);
                candidates(b, out);
            }
            Filter::Compare { path, op, value }
                if *op != CompareOp::Ne && !matches!(value, CompValue::Null) =>
            {
                out.push((path, *op, value));
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    candidates(filter, &mut found);
    // `value` is what tells elements apart (`type` or `primary` match most of them), and an
    // equality narrows more than a range.
    found.into_iter().max_by_key(|(path, op, _)| {
        (
            path.attribute.eq_ignore_ascii_case("value"),
            *op == CompareOp::Eq,
        )
    })
}
