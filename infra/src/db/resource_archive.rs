//! The soft half of a delete: under a tenant's soft-delete policy, the resource's row, its
//! password hash and its memberships (as ids) are copied to `archived_resources` in the
//! delete's own transaction, before the row and its memberships go. Nothing a SCIM answer
//! reads ever looks at the archive, so the resource is gone from every one of them.

use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::lifecycle::Deletion;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use super::entities::{archived_resources as ar, group_members as gm, resources, tenant_lifecycle};
use super::errors::unavailable;

/// The tenant's deletion policy as it stands inside `db`'s transaction.
pub async fn deletion_policy(db: &impl ConnectionTrait, tenant: Uuid) -> DomainResult<Deletion> {
    let row = tenant_lifecycle::Entity::find_by_id(tenant)
        .one(db)
        .await
        .map_err(unavailable)?;
    let Some(row) = row else {
        return Ok(Deletion::Hard);
    };
    let days = row.retention_days.and_then(|d| u32::try_from(d).ok());
    // Only `set_policy` writes the row, with a parsed policy: a row that no longer parses
    // is storage gone wrong, not a client's mistake.
    Deletion::parse(&row.deletion, days).map_err(DomainError::unavailable)
}

/// Copies resource `id` (locked by the caller) into the archive, with `groups` the groups
/// it belongs to directly, deleted `at` and purged after `purge_after`.
pub async fn archive_resource(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    groups: &[Uuid],
    at: DateTime<Utc>,
    purge_after: DateTime<Utc>,
) -> DomainResult<()> {
    let row = resources::Entity::find_by_id((tenant, id))
        .one(db)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| {
            DomainError::unavailable(sea_orm::DbErr::RecordNotFound("resource".into()))
        })?;
    let members: Vec<Uuid> = gm::Entity::find()
        .select_only()
        .column(gm::Column::MemberId)
        .filter(gm::Column::TenantId.eq(tenant))
        .filter(gm::Column::GroupId.eq(id))
        .into_tuple()
        .all(db)
        .await
        .map_err(unavailable)?;
    let archived = ar::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        resource_type: Set(row.resource_type),
        version: Set(row.version),
        created: Set(row.created),
        document: Set(Some(row.document)),
        password_hash: Set(row.password_hash),
        external_id: Set(row.external_id),
        display: Set(row.display),
        group_ids: Set(Some(json!(groups))),
        member_ids: Set(Some(json!(members))),
        deleted_at: Set(at),
        purge_after: Set(Some(purge_after)),
        purged_at: Set(None),
    };
    ar::Entity::insert(archived)
        .exec_without_returning(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}
