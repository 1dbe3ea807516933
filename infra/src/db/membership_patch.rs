//! A PATCH's membership edits applied as their net change, so the caller learns whether the
//! member set really changed: adding a member already there, removing one that is not, or
//! replacing the members with the same set changes no row, and RFC 7644 §3.5.2.1 then wants
//! the group's version and `lastModified` left alone. Clearing and removing by filter touch
//! only the members the writer can see (its rows); the service refused removals naming others.

use std::collections::HashSet;

use scimgate_domain::error::DomainResult;
use scimgate_domain::event::MemberDiff;
use scimgate_domain::filter::ResolvedFilter;
use scimgate_domain::patch::MembershipChange;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::relation::Relation;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::entities::group_members as gm;
use super::errors::unavailable;
use super::filter_sql::FilterCompiler;
use super::membership::{
    insert_members, member_column, present_members, remove_members, resolve_members,
};
use super::visible_rows::VisibleSql;

/// Applies `change` to `group` (clear, removals, removals by filter, then additions, as the
/// domain folded them) and returns the members really added and removed. A member that a
/// clear or a filter would remove and the additions put back is never touched.
pub async fn apply_membership(
    db: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    group: Uuid,
    change: &MembershipChange,
) -> DomainResult<MemberDiff> {
    let tenant = visible.tenant;
    let kept: HashSet<Uuid> = change.add.iter().copied().collect();
    let mut leaving: Vec<Uuid> = change.remove.clone();
    if change.clear {
        leaving.extend(member_ids(db, visible, group, None).await?);
    }
    for filter in &change.remove_matching {
        leaving.extend(member_ids(db, visible, group, Some(filter)).await?);
    }
    let mut seen = HashSet::new();
    leaving.retain(|id| !kept.contains(id) && seen.insert(*id));
    let adding: Vec<Uuid> = change
        .add
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    // Which of the named members are there already: the group's row is locked by this
    // write, so the answer holds until it commits and the change reported is the net one.
    let candidates: Vec<Uuid> = leaving.iter().chain(&adding).copied().collect();
    let present = present_members(db, tenant, group, &candidates).await?;
    leaving.retain(|id| present.contains(id));
    remove_members(db, tenant, group, &leaving).await?;
    let added = resolve_members(db, tenant, &change.add).await?;
    insert_members(db, tenant, group, &added).await?;
    Ok(MemberDiff {
        added: adding
            .into_iter()
            .filter(|id| !present.contains(id))
            .collect(),
        removed: leaving,
    })
}

/// Every member of `group` the writer can see.
pub async fn visible_member_ids(
    db: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    group: Uuid,
) -> DomainResult<Vec<Uuid>> {
    member_ids(db, visible, group, None).await
}

/// The members of `group` the writer can see, or only those a filter relative to one member
/// selects (`type eq "Group"`).
async fn member_ids(
    db: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    group: Uuid,
    filter: Option<&ResolvedFilter>,
) -> DomainResult<Vec<Uuid>> {
    let tenant = visible.tenant;
    let m = Alias::new("m");
    let mut select = Query::select();
    select
        .column((m.clone(), gm::Column::MemberId))
        .from_as(gm::Entity, m.clone())
        .and_where(Expr::col((m.clone(), gm::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((m.clone(), gm::Column::GroupId)).eq(group));
    if let Some(filter) = filter {
        let compiler = FilterCompiler {
            registry: visible.registry,
            kind: ResourceKind::Group,
            tenant,
            backend: db.get_database_backend(),
            within: Some(visible.rows),
        };
        select.and_where(compiler.member_condition(filter)?);
    }
    if let Some(shown) =
        visible.names_visible(member_column(), Relation::Members.related_kinds())?
    {
        select.and_where(shown);
    }
    let rows = db.query_all(&select).await.map_err(unavailable)?;
    rows.iter()
        .map(|row| row.try_get("", "member_id").map_err(unavailable))
        .collect()
}
