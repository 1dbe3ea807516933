//! One recursive function compiles a resolved SCIM filter into a sea-query condition on the
//! `resources` table. Attributes with a column compare that column; group membership is read
//! from `group_members`; everything else is an `IN (subquery)` on the value index, which both
//! databases answer from `(tenant_id, attr_path, value_norm)`. Every condition this produces
//! is true or false, never NULL, so `not` negates exactly.
//!
//! Which filters are valid is not decided here: `scimgate_domain::filter::resolve` refuses,
//! with the error clients see, every filter this compiler has no translation for (operators
//! on `id`, `meta.version`, `meta.resourceType` and memberships, `meta.location`, null and
//! dateTime literals), so a search and the in-memory evaluator accept the same filters. The
//! errors left here are invariants a [`ResolvedFilter`] cannot break (see [`invariant`]);
//! `tests` compiles every filter resolution lets through.

use scimgate_domain::authz::VisibleRows;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::filter::{
    AttrPath, CompValue, CompareOp, Filter, ResolvedAttr, ResolvedFilter, lookup,
};
use scimgate_domain::resource::searchable::path_key;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::relation::Relation;
use scimgate_domain::schema::{AttributeDef, AttributeType, SchemaRegistry};
use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use uuid::Uuid;

use super::column_target::column_target;

mod compare;
mod membership;
mod substring;
mod value_path;
use super::entities::{resource_values as rv, resources};
use membership::membership_columns;

/// Compiles filters for one tenant and resource type on one database.
pub struct FilterCompiler<'a> {
    pub registry: &'a SchemaRegistry,
    pub kind: ResourceKind,
    pub tenant: Uuid,
    pub backend: DbBackend,
    /// A caller's rows: its filters see only the members and groups inside them, as if no
    /// other existed. `None` for a policy's own filters, which see every relation.
    pub within: Option<&'a VisibleRows>,
}

/// Where a comparison's value lives.
enum Scope<'s> {
    /// The resource itself.
    Resource,
    /// One element of a complex attribute in the value index (alias `e`).
    Element {
        parent: &'s ResolvedAttr<'s>,
        key: &'s str,
    },
    /// One row of `group_members` (alias `m`), seen from a group (`members`) or a user (`groups`).
    Membership(Relation),
}

fn always(truth: bool) -> Expr {
    Expr::cust(if truth { "1 = 1" } else { "1 = 0" })
}

/// A filter resolution should have refused (or a caller's misuse, like a `members[...]` that
/// is no bracket): a bug, never a client's doing. Answered as the client's invalid filter
/// rather than a panic, should resolution and this compiler ever drift apart.
fn invariant(detail: String) -> DomainError {
    DomainError::InvalidFilter(format!("unsupported filter: {detail}"))
}

fn alias(name: &str) -> Alias {
    Alias::new(name)
}

impl FilterCompiler<'_> {
    pub fn condition(&self, filter: &ResolvedFilter) -> DomainResult<Expr> {
        self.compile(filter, &Scope::Resource)
    }

    /// The bracket of a group's `members[...]` as a condition on one membership row (alias
    /// `m`): its `value`, `type`.
    pub fn member_condition(&self, members: &ResolvedFilter) -> DomainResult<Expr> {
        let Some(filter) = members.value_filter() else {
            return Err(invariant(format!("'{members}' is no filter on members")));
        };
        self.compile(filter, &Scope::Membership(Relation::Members))
    }

    fn compile(&self, filter: &Filter, scope: &Scope) -> DomainResult<Expr> {
        Ok(match filter {
            Filter::And(a, b) => self.compile(a, scope)?.and(self.compile(b, scope)?),
            Filter::Or(..) if matches!(scope, Scope::Resource) => self.union(filter)?,
            Filter::Or(a, b) => self.compile(a, scope)?.or(self.compile(b, scope)?),
            Filter::Not(inner) => self.compile(inner, scope)?.not(),
            Filter::Present(path) => self.present(path, scope)?,
            Filter::Compare { path, op, value } => self.compare(path, *op, value, scope)?,
            Filter::ValuePath { path, filter } => self.value_path(path, filter, scope)?,
        })
    }

    /// `a or b or c` on resources as `id IN (SELECT id … a UNION ALL SELECT id … b …)`: each
    /// branch probes its own index, where one `OR` over different attributes would make both
    /// databases scan every resource of the tenant.
    fn union(&self, filter: &Filter) -> DomainResult<Expr> {
        let mut branches = Vec::new();
        or_branches(filter, &mut branches);
        let mut union: Option<SelectStatement> = None;
        for branch in branches {
            let mut select = Query::select();
            select
                .column((resources::Entity, resources::Column::Id))
                .from(resources::Entity)
                .and_where(
                    Expr::col((resources::Entity, resources::Column::TenantId)).eq(self.tenant),
                )
                .and_where(
                    Expr::col((resources::Entity, resources::Column::ResourceType))
                        .eq(self.kind.name()),
                )
                .and_where(self.compile(branch, &Scope::Resource)?);
            union = Some(match union {
                None => select,
                Some(mut all) => {
                    all.union(UnionType::All, select);
                    all
                }
            });
        }
        Ok(match union {
            Some(all) => resource_id().in_subquery(all),
            None => always(false),
        })
    }

    fn resolved(&self, path: &AttrPath) -> DomainResult<ResolvedAttr<'_>> {
        lookup(self.registry, self.kind, path)
            .ok_or_else(|| invariant(format!("unknown attribute '{}'", path.attribute)))
    }

    fn extension_of(&self, attr: &ResolvedAttr) -> Option<&'static str> {
        attr.schema
            .filter(|urn| *urn != self.registry.core_schema(self.kind).id)
    }

    fn relation(&self, attr: &ResolvedAttr) -> Option<Relation> {
        attr.relation(self.kind)
    }

    fn present(&self, path: &AttrPath, scope: &Scope) -> DomainResult<Expr> {
        match scope {
            Scope::Resource => {
                let attr = self.resolved(path)?;
                if let Some(relation) = self.relation(&attr) {
                    if relation == Relation::Groups
                        && let Some(trees) = self.in_visible_group_trees()?
                    {
                        return Ok(trees);
                    }
                    return self.in_membership(relation, always(true));
                }
                if let Some(target) = column_target(self.kind, &attr)? {
                    return Ok(target.present());
                }
                let key = path_key(
                    self.extension_of(&attr),
                    attr.attribute.name,
                    attr.sub.map(|s| s.name),
                );
                Ok(self.in_values(&key, non_empty(&alias("v"), attr.leaf())))
            }
            Scope::Element { parent, key } => {
                let sub = sub_of(parent, path)?;
                Ok(self.element_exists(
                    &format!("{key}.{}", sub.name.to_lowercase()),
                    non_empty(&alias("v"), sub),
                ))
            }
            Scope::Membership(_) => Ok(always(true)),
        }
    }

    fn compare(
        &self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        scope: &Scope,
    ) -> DomainResult<Expr> {
        if let CompValue::Null = value {
            let present = self.present(path, scope)?;
            return match op {
                CompareOp::Eq => Ok(present.not()),
                CompareOp::Ne => Ok(present),
                _ => Err(invariant(format!(
                    "'{}' cannot compare with null",
                    op.as_str()
                ))),
            };
        }
        if op == CompareOp::Ne {
            return Ok(self.compare(path, CompareOp::Eq, value, scope)?.not());
        }
        match scope {
            Scope::Resource => {
                let attr = self.resolved(path)?;
                if let Some(relation) = self.relation(&attr) {
                    if relation == Relation::Groups
                        && let Some(nested) = self.member_of_group_tree(attr.sub, op, value)?
                    {
                        return Ok(nested);
                    }
                    let inner = self.membership_compare(relation, attr.sub, op, value)?;
                    return self.in_membership(relation, inner);
                }
                if let Some(target) = column_target(self.kind, &attr)? {
                    return self.column_compare(target, attr.leaf(), op, value);
                }
                let key = path_key(
                    self.extension_of(&attr),
                    attr.attribute.name,
                    attr.sub.map(|s| s.name),
                );
                let cond = self.value_compare(&alias("v"), attr.leaf(), op, value)?;
                Ok(self.in_values(&key, cond))
            }
            Scope::Element { parent, key } => {
                let sub = sub_of(parent, path)?;
                let cond = self.value_compare(&alias("v"), sub, op, value)?;
                Ok(self.element_exists(&format!("{key}.{}", sub.name.to_lowercase()), cond))
            }
            Scope::Membership(relation) => {
                let def = self
                    .registry
                    .core_schema(self.kind)
                    .attribute(relation.attribute())
                    .and_then(|a| a.sub_attribute(&path.attribute));
                self.membership_compare(*relation, def, op, value)
            }
        }
    }

    /// `resources.id IN (SELECT resource_id FROM resource_values v WHERE path = key AND cond)`
    fn in_values(&self, key: &str, cond: Expr) -> Expr {
        let mut select = Query::select();
        select
            .column((alias("v"), rv::Column::ResourceId))
            .from_as(rv::Entity, alias("v"))
            .and_where(Expr::col((alias("v"), rv::Column::TenantId)).eq(self.tenant))
            .and_where(Expr::col((alias("v"), rv::Column::AttrPath)).eq(key.to_owned()))
            .and_where(cond);
        resource_id().in_subquery(select)
    }
}

/// The operands of a chain of `or`s, in order.
fn or_branches<'f>(filter: &'f Filter, out: &mut Vec<&'f Filter>) {
    match filter {
        Filter::Or(a, b) => {
            or_branches(a, out);
            or_branches(b, out);
        }
        other => out.push(other),
    }
}

fn resource_id() -> Expr {
    Expr::col((resources::Entity, resources::Column::Id))
}

/// Present and not the empty string (RFC 7644 `pr`).
fn non_empty(table: &Alias, def: &AttributeDef) -> Expr {
    if def.ty == AttributeType::Complex {
        always(true)
    } else {
        Expr::col((table.clone(), rv::Column::ValueNorm)).ne("")
    }
}

fn sub_of<'r>(parent: &ResolvedAttr<'r>, path: &AttrPath) -> DomainResult<&'r AttributeDef> {
    parent
        .attribute
        .sub_attribute(&path.attribute)
        .ok_or_else(|| {
            invariant(format!(
                "unknown sub-attribute '{}.{}'",
                parent.attribute.name, path.attribute
            ))
        })
}

#[cfg(test)]
mod tests;
