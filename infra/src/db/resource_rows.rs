//! Reading resources with their relations: a group's members and a user's groups, for one
//! resource or a whole page in one query each.

use std::collections::HashMap;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::resource::stored::{Member, StoredResource};
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::entities::{group_members as gm, resources};
use super::group_closure::groups_of;
use super::visible_rows::VisibleSql;

/// `at` as both databases keep it (PostgreSQL stores microseconds).
pub fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

/// A resource row without its relations yet.
pub fn from_row(row: resources::Model) -> DomainResult<StoredResource> {
    let kind =
        ResourceKind::parse(&row.resource_type).ok_or_else(|| corrupt(&row.resource_type))?;
    let serde_json::Value::Object(document) = row.document else {
        return Err(corrupt("document is not an object"));
    };
    Ok(StoredResource {
        id: row.id,
        kind,
        version: row.version,
        created: row.created,
        last_modified: row.last_modified,
        document,
        members: Vec::new(),
        groups: Vec::new(),
    })
}

fn corrupt(what: &str) -> DomainError {
    DomainError::unavailable(DbErr::Custom(format!("unreadable resource row: {what}")))
}

/// Fills `members` of groups and `groups` of users for all of `resources`, with only the
/// members and groups inside `visible`'s rows.
pub async fn attach_relations(
    db: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    resources: &mut [StoredResource],
) -> DomainResult<()> {
    let Some(first) = resources.first() else {
        return Ok(());
    };
    let tenant = visible.tenant;
    let kind = first.kind;
    let ids: Vec<Uuid> = resources.iter().map(|r| r.id).collect();
    match kind {
        ResourceKind::Group => {
            // In the statement: a group of 100 000 members brings only those shown.
            let shown = visible.row_condition(&[ResourceKind::User, ResourceKind::Group])?;
            let mut by_group = members_of(db, tenant, &ids, shown).await?;
            for group in resources.iter_mut() {
                group.members = by_group.remove(&group.id).unwrap_or_default();
            }
        }
        ResourceKind::User => {
            let mut by_user = groups_of(db, tenant, &ids).await?;
            if visible.rows.of(ResourceKind::Group).is_some() {
                // A page's users are in few groups: one more statement tells which are shown.
                let mut found: Vec<Uuid> = by_user.values().flatten().map(|g| g.group_id).collect();
                found.sort_unstable();
                found.dedup();
                let shown = visible
                    .visible_among(db, ResourceKind::Group, &found)
                    .await?;
                for groups in by_user.values_mut() {
                    groups.retain(|g| shown.contains(&g.group_id));
                }
            }
            for user in resources.iter_mut() {
                user.groups = by_user.remove(&user.id).unwrap_or_default();
            }
        }
    }
    Ok(())
}

/// Members of the given groups with the display text of each member; only those whose
/// `resources` row satisfies `shown`, when given.
async fn members_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group_ids: &[Uuid],
    shown: Option<Expr>,
) -> DomainResult<HashMap<Uuid, Vec<Member>>> {
    let mut stmt = Query::select()
        .column((gm::Entity, gm::Column::GroupId))
        .column((gm::Entity, gm::Column::MemberId))
        .column((gm::Entity, gm::Column::MemberType))
        .column((resources::Entity, resources::Column::Display))
        .from(gm::Entity)
        .inner_join(
            resources::Entity,
            Expr::col((resources::Entity, resources::Column::TenantId))
                .equals((gm::Entity, gm::Column::TenantId))
                .and(
                    Expr::col((resources::Entity, resources::Column::Id))
                        .equals((gm::Entity, gm::Column::MemberId)),
                ),
        )
        .and_where(Expr::col((gm::Entity, gm::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((gm::Entity, gm::Column::GroupId)).is_in(group_ids.iter().copied()))
        .order_by((gm::Entity, gm::Column::MemberId), sea_orm::Order::Asc)
        .to_owned();
    if let Some(shown) = shown {
        stmt.and_where(shown);
    }
    let mut out: HashMap<Uuid, Vec<Member>> = HashMap::new();
    for row in db
        .query_all(&stmt)
        .await
        .map_err(DomainError::unavailable)?
    {
        let group: Uuid = row
            .try_get("", "group_id")
            .map_err(DomainError::unavailable)?;
        let member_type: String = row
            .try_get("", "member_type")
            .map_err(DomainError::unavailable)?;
        let member = Member {
            id: row
                .try_get("", "member_id")
                .map_err(DomainError::unavailable)?,
            kind: ResourceKind::parse(&member_type).ok_or_else(|| corrupt(&member_type))?,
            display: row
                .try_get("", "display")
                .map_err(DomainError::unavailable)?,
        };
        out.entry(group).or_default().push(member);
    }
    Ok(out)
}
