//! Membership conditions: `members` of groups and `groups` of users, read from
//! `group_members` (alias `m`), and a user's groups through nested groups. For a caller
//! whose rows hide some resources (`within`), only members and groups inside them count.

use scimgate_domain::error::DomainResult;
use scimgate_domain::filter::{CompValue, CompareOp};
use scimgate_domain::schema::AttributeDef;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::relation::Relation;
use sea_orm::DbBackend;
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::{FilterCompiler, alias, always, resource_id};
use crate::db::entities::{group_members as gm, resources};
use crate::db::visible_rows::VisibleSql;

impl FilterCompiler<'_> {
    /// `groups.value eq "G"` on users: a member of G directly or through nested groups, as
    /// User.groups lists both. Walks down from G, so the cost is G's tree, not the tenant's.
    pub(super) fn member_of_group_tree(
        &self,
        sub: Option<&AttributeDef>,
        op: CompareOp,
        value: &CompValue,
    ) -> DomainResult<Option<Expr>> {
        let (None | Some("value")) = sub.map(|s| s.name) else {
            return Ok(None);
        };
        let (CompareOp::Eq, CompValue::String(text)) = (op, value) else {
            return Ok(None);
        };
        let Ok(group) = Uuid::parse_str(text) else {
            return Ok(Some(always(false)));
        };
        // sea-query fills `$n` only for PostgreSQL and `?` only for the others.
        let (tenant, group_param, step_tenant) = match self.backend {
            DbBackend::Postgres => ("$1", "$2", "$3"),
            _ => ("?", "?", "?"),
        };
        let sql = format!(
            "WITH RECURSIVE below(id) AS ( \
               SELECT member_id FROM group_members WHERE tenant_id = {tenant} AND group_id = {group_param} \
               UNION \
               SELECT gm.member_id FROM group_members gm JOIN below b ON gm.group_id = b.id \
               WHERE gm.tenant_id = {step_tenant} \
             ) SELECT id FROM below"
        );
        let values = [self.tenant, group, self.tenant].map(sea_orm::Value::from);
        let below = resource_id().binary(BinOper::In, Expr::cust_with_values(sql, values));
        // A group the caller cannot see has no members as far as its filters go; the groups
        // between it and the user do not matter, as `User.groups` lists the user in it anyway.
        let visible = match self.visible_sql() {
            Some(rows) => rows.names_visible(Expr::val(group), &GROUPS)?,
            None => None,
        };
        Ok(Some(match visible {
            Some(visible) => below.and(visible),
            None => below,
        }))
    }

    /// `groups pr` on users for a caller that cannot see every group: in some group it can
    /// see, directly or through nested groups (as `User.groups` lists them), walking down
    /// from those groups. `None` when every group is visible: then any membership will do.
    pub(super) fn in_visible_group_trees(&self) -> DomainResult<Option<Expr>> {
        let Some(visible) = self.visible_sql() else {
            return Ok(None);
        };
        let Some(groups) = visible.row_condition(&GROUPS)? else {
            return Ok(None);
        };
        let roots = Query::select()
            .column((resources::Entity, resources::Column::Id))
            .from(resources::Entity)
            .and_where(Expr::col((resources::Entity, resources::Column::TenantId)).eq(self.tenant))
            .and_where(groups)
            .to_owned();
        let (tenant, roots_param, step_tenant) = match self.backend {
            DbBackend::Postgres => ("$1", "$2", "$3"),
            _ => ("?", "?", "?"),
        };
        let sql = format!(
            "WITH RECURSIVE below(id) AS ( \
               SELECT member_id FROM group_members WHERE tenant_id = {tenant} AND group_id IN {roots_param} \
               UNION \
               SELECT gm.member_id FROM group_members gm JOIN below b ON gm.group_id = b.id \
               WHERE gm.tenant_id = {step_tenant} \
             ) SELECT id FROM below"
        );
        let exprs = [
            Expr::val(self.tenant),
            Expr::SubQuery(None, Box::new(roots.into())),
            Expr::val(self.tenant),
        ];
        Ok(Some(
            resource_id().binary(BinOper::In, Expr::cust_with_exprs(sql, exprs)),
        ))
    }

    pub(super) fn in_membership(&self, relation: Relation, cond: Expr) -> DomainResult<Expr> {
        let (own, other) = membership_columns(relation);
        let mut select = Query::select();
        select
            .column((alias("m"), own))
            .from_as(gm::Entity, alias("m"))
            .and_where(Expr::col((alias("m"), gm::Column::TenantId)).eq(self.tenant))
            .and_where(cond);
        if let Some(visible) = self.visible_sql() {
            let kinds = relation.related_kinds();
            if let Some(named) = visible.names_visible(Expr::col((alias("m"), other)), kinds)? {
                select.and_where(named);
            }
        }
        Ok(resource_id().in_subquery(select))
    }

    /// The caller's rows, when its filters must see only the relations inside them.
    pub(super) fn visible_sql(&self) -> Option<VisibleSql<'_>> {
        self.within.map(|rows| VisibleSql {
            registry: self.registry,
            backend: self.backend,
            tenant: self.tenant,
            rows,
        })
    }
}

const GROUPS: [ResourceKind; 1] = [ResourceKind::Group];

/// (column naming the resource, column naming the other end) of a membership row: the
/// relation's direction in the table.
pub(super) fn membership_columns(relation: Relation) -> (gm::Column, gm::Column) {
    match relation {
        Relation::Members => (gm::Column::GroupId, gm::Column::MemberId),
        Relation::Groups => (gm::Column::MemberId, gm::Column::GroupId),
    }
}
