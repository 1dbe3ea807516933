//! Group membership rows: validating members against the tenant, adding and removing them in
//! O(k) for k changed members, and refusing cycles when groups contain groups.

use std::collections::HashSet;

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::relation::Relation;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QuerySelect, Statement,
};
use uuid::Uuid;

use super::entities::{group_members as gm, resources};
use super::errors::{on_write, unavailable};
use super::visible_rows::VisibleSql;

/// Rows per statement: well under SQLite's and PostgreSQL's bind-parameter limits.
pub(super) const CHUNK: usize = 1000;

pub fn member_gone() -> DomainError {
    DomainError::InvalidValue("a member is not a resource of this tenant".into())
}

/// Checks that every member exists in the tenant and returns each with its kind.
pub async fn resolve_members(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    members: &[Uuid],
) -> DomainResult<Vec<(Uuid, String)>> {
    let mut found = Vec::with_capacity(members.len());
    for chunk in members.chunks(CHUNK) {
        let rows: Vec<(Uuid, String)> = resources::Entity::find()
            .select_only()
            .column(resources::Column::Id)
            .column(resources::Column::ResourceType)
            .filter(resources::Column::TenantId.eq(tenant))
            .filter(resources::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await
            .map_err(unavailable)?;
        if rows.len() != chunk.len() {
            let missing = chunk
                .iter()
                .find(|id| !rows.iter().any(|(found, _)| found == *id))
                .map(Uuid::to_string)
                .unwrap_or_default();
            return Err(DomainError::InvalidValue(format!(
                "member '{missing}' is not a resource of this tenant"
            )));
        }
        found.extend(rows);
    }
    Ok(found)
}

/// The groups `member` belongs to directly, with each group's version and externalId.
pub async fn parent_groups(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    member: Uuid,
) -> DomainResult<Vec<(Uuid, i64, Option<String>)>> {
    let groups: Vec<Uuid> = gm::Entity::find()
        .select_only()
        .column(gm::Column::GroupId)
        .filter(gm::Column::TenantId.eq(tenant))
        .filter(gm::Column::MemberId.eq(member))
        .into_tuple()
        .all(db)
        .await
        .map_err(unavailable)?;
    let mut found = Vec::with_capacity(groups.len());
    for chunk in groups.chunks(CHUNK) {
        let rows: Vec<(Uuid, i64, Option<String>)> = resources::Entity::find()
            .select_only()
            .column(resources::Column::Id)
            .column(resources::Column::Version)
            .column(resources::Column::ExternalId)
            .filter(resources::Column::TenantId.eq(tenant))
            .filter(resources::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await
            .map_err(unavailable)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Which of `candidates` are members of `group` now.
pub async fn present_members(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    candidates: &[Uuid],
) -> DomainResult<HashSet<Uuid>> {
    let mut present = HashSet::new();
    for chunk in candidates.chunks(CHUNK) {
        let rows: Vec<Uuid> = gm::Entity::find()
            .select_only()
            .column(gm::Column::MemberId)
            .filter(gm::Column::TenantId.eq(tenant))
            .filter(gm::Column::GroupId.eq(group))
            .filter(gm::Column::MemberId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await
            .map_err(unavailable)?;
        present.extend(rows);
    }
    Ok(present)
}

/// Adds members; adding one that is already there is a no-op. Returns how many were new.
pub async fn insert_members(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    members: &[(Uuid, String)],
) -> DomainResult<u64> {
    ensure_no_cycle(db, tenant, group, members).await?;
    let mut inserted = 0;
    for chunk in members.chunks(CHUNK) {
        let rows = chunk.iter().map(|(member, kind)| gm::ActiveModel {
            tenant_id: Set(tenant),
            group_id: Set(group),
            member_id: Set(*member),
            member_type: Set(kind.clone()),
        });
        inserted += gm::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    gm::Column::TenantId,
                    gm::Column::GroupId,
                    gm::Column::MemberId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .map_err(|err| on_write(err, member_gone, member_gone))?;
    }
    Ok(inserted)
}

pub async fn remove_all(db: &impl ConnectionTrait, tenant: Uuid, group: Uuid) -> DomainResult<()> {
    gm::Entity::delete_many()
        .filter(gm::Column::TenantId.eq(tenant))
        .filter(gm::Column::GroupId.eq(group))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// Removes the listed members; returns how many were there.
pub async fn remove_members(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    members: &[Uuid],
) -> DomainResult<u64> {
    let mut removed = 0;
    for chunk in members.chunks(CHUNK) {
        removed += gm::Entity::delete_many()
            .filter(gm::Column::TenantId.eq(tenant))
            .filter(gm::Column::GroupId.eq(group))
            .filter(gm::Column::MemberId.is_in(chunk.iter().copied()))
            .exec(db)
            .await
            .map_err(unavailable)?
            .rows_affected;
    }
    Ok(removed)
}

/// Removes every member the writer can see (all of them when it sees every row): a writer
/// replacing or clearing a member list does not know of the others.
pub async fn remove_visible(
    db: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    group: Uuid,
) -> DomainResult<()> {
    match visible.names_visible(member_column(), Relation::Members.related_kinds())? {
        Some(shown) => remove_where(db, visible.tenant, group, shown).await,
        None => remove_all(db, visible.tenant, group).await,
    }
}

/// The member of a membership row `m`.
pub(super) fn member_column() -> Expr {
    Expr::col((Alias::new("m"), gm::Column::MemberId))
}

/// Removes the members whose membership row (alias `m`) satisfies `matching`.
async fn remove_where(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    matching: Expr,
) -> DomainResult<()> {
    gm::Entity::delete_many()
        .filter(gm::Column::TenantId.eq(tenant))
        .filter(gm::Column::GroupId.eq(group))
        .filter(
            Expr::col(gm::Column::MemberId).in_subquery(
                Query::select()
                    .column((Alias::new("m"), gm::Column::MemberId))
                    .from_as(gm::Entity, Alias::new("m"))
                    .and_where(Expr::col((Alias::new("m"), gm::Column::TenantId)).eq(tenant))
                    .and_where(Expr::col((Alias::new("m"), gm::Column::GroupId)).eq(group))
                    .and_where(matching)
                    .to_owned(),
            ),
        )
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// Refuses to add a group that already contains `group`, directly or through other groups:
/// membership must stay a forest so indirect memberships are finite.
async fn ensure_no_cycle(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    members: &[(Uuid, String)],
) -> DomainResult<()> {
    let backend = db.get_database_backend();
    for (member, _) in members
        .iter()
        .filter(|(_, k)| k == ResourceKind::Group.name())
    {
        if *member == group {
            return Err(DomainError::InvalidValue(
                "a group cannot be its own member".into(),
            ));
        }
        let (t, m, g) = match backend {
            DbBackend::Postgres => ("$1", "$2", "$3"),
            _ => ("?", "?", "?"),
        };
        let sql = format!(
            "WITH RECURSIVE nested(id) AS (\
               SELECT member_id FROM group_members WHERE tenant_id = {t} AND group_id = {m} \
               UNION SELECT gm.member_id FROM group_members gm JOIN nested n ON gm.group_id = n.id \
               WHERE gm.tenant_id = {t}) \
             SELECT 1 AS found FROM nested WHERE id = {g} LIMIT 1"
        );
        let values: Vec<sea_orm::Value> = match backend {
            DbBackend::Postgres => vec![tenant.into(), (*member).into(), group.into()],
            _ => vec![tenant.into(), (*member).into(), tenant.into(), group.into()],
        };
        let found = db
            .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map_err(unavailable)?;
        if found.is_some() {
            return Err(DomainError::InvalidValue(format!(
                "adding group '{member}' would make group '{group}' contain itself"
            )));
        }
    }
    Ok(())
}
