//! Membership conditions: `members` of groups and `groups` of users, read from
//! `group_members` (alias `m`), and a user's groups through nested groups.

use scimgate_domain::filter::{CompValue, CompareOp};
use scimgate_domain::schema::AttributeDef;
use sea_orm::DbBackend;
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::{FilterCompiler, alias, always, resource_id};
use crate::db::entities::group_members as gm;

impl FilterCompiler<'_> {
    /// `groups.value eq "G"` on users: a member of G directly or through nested groups, as
    /// User.groups lists both. Walks down from G, so the cost is G's tree, not the tenant's.
    pub(super) fn member_of_group_tree(
        &self,
        sub: Option<&AttributeDef>,
        op: CompareOp,
        value: &CompValue,
    ) -> Option<Expr> {
        let (None | Some("value")) = sub.map(|s| s.name) else {
            return None;
        };
        let (CompareOp::Eq, CompValue::String(text)) = (op, value) else {
            return None;
        };
        let Ok(group) = Uuid::parse_str(text) else {
            return Some(always(false));
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
        Some(resource_id().binary(BinOper::In, Expr::cust_with_values(sql, values)))
    }

    pub(super) fn in_membership(&self, members_of_group: bool, cond: Expr) -> Expr {
        let (own, _) = membership_columns(members_of_group);
        let mut select = Query::select();
        select
            .column((alias("m"), own))
            .from_as(gm::Entity, alias("m"))
            .and_where(Expr::col((alias("m"), gm::Column::TenantId)).eq(self.tenant))
            .and_where(cond);
        resource_id().in_subquery(select)
    }
}

/// (column naming the resource, column naming the other end) of a membership row.
pub(super) fn membership_columns(members_of_group: bool) -> (gm::Column, gm::Column) {
    if members_of_group {
        (gm::Column::GroupId, gm::Column::MemberId)
    } else {
        (gm::Column::MemberId, gm::Column::GroupId)
    }
}
