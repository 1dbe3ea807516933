//! A PATCH's membership edits applied as their net change, so the caller learns whether the
//! member set really changed: adding a member already there, removing one that is not, or
//! replacing the members with the same set changes no row, and RFC 7644 §3.5.2.1 then wants
//! the group's version and `lastModified` left alone.

use std::collections::HashSet;

use scimgate_domain::error::DomainResult;
use scimgate_domain::filter::Filter;
use scimgate_domain::patch::MembershipChange;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::SchemaRegistry;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::entities::group_members as gm;
use super::errors::unavailable;
use super::filter_sql::FilterCompiler;
use super::membership::{insert_members, remove_members, resolve_members};

/// Applies `change` to `group` (clear, removals, removals by filter, then additions, as the
/// domain folded them) and returns whether any membership row was added or deleted. A member
/// that a clear or a filter would remove and the additions put back is never touched.
pub async fn apply_membership(
    db: &impl ConnectionTrait,
    registry: &SchemaRegistry,
    tenant: Uuid,
    group: Uuid,
    change: &MembershipChange,
) -> DomainResult<bool> {
    let kept: HashSet<Uuid> = change.add.iter().copied().collect();
    let mut leaving: Vec<Uuid> = change.remove.clone();
    if change.clear {
        leaving.extend(member_ids(db, tenant, group, None).await?);
    }
    for filter in &change.remove_matching {
        leaving.extend(member_ids(db, tenant, group, Some((registry, filter))).await?);
    }
    let mut seen = HashSet::new();
    leaving.retain(|id| !kept.contains(id) && seen.insert(*id));
    let removed = remove_members(db, tenant, group, &leaving).await?;
    let added = resolve_members(db, tenant, &change.add).await?;
    let inserted = insert_members(db, tenant, group, &added).await?;
    Ok(removed + inserted > 0)
}

/// The members of `group`, or only those a filter relative to one member selects
/// (`type eq "Group"`).
async fn member_ids(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    filter: Option<(&SchemaRegistry, &Filter)>,
) -> DomainResult<Vec<Uuid>> {
    let m = Alias::new("m");
    let mut select = Query::select();
    select
        .column((m.clone(), gm::Column::MemberId))
        .from_as(gm::Entity, m.clone())
        .and_where(Expr::col((m.clone(), gm::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((m.clone(), gm::Column::GroupId)).eq(group));
    if let Some((registry, filter)) = filter {
        let compiler = FilterCompiler {
            registry,
            kind: ResourceKind::Group,
            tenant,
            backend: db.get_database_backend(),
        };
        select.and_where(compiler.member_condition(filter)?);
    }
    let rows = db.query_all(&select).await.map_err(unavailable)?;
    rows.iter()
        .map(|row| row.try_get("", "member_id").map_err(unavailable))
        .collect()
}
