//! Deleting a resource: its row, value index and memberships in one transaction, with its
//! `deleted` event and, for each group it belonged to, that group's `updated` event naming it
//! as removed (a consumer following memberships hears of every change). Under the tenant's
//! soft-delete policy the resource is archived first, in the same transaction
//! (`resource_archive.rs`).

use scimgate_domain::error::DomainResult;
use scimgate_domain::event::{EventDraft, MemberDiff};
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::document_writes::{current_version, lock_row};
use super::entities::{group_members as gm, resources};
use super::errors::unavailable;
use super::membership::parent_groups;
use super::outbox;
use super::resource_archive::{archive_resource, deletion_policy};
use super::resource_counts;
use super::resource_rows::micros;
use super::value_index::replace_values;

/// Deletes the resource in `txn` (committed or rolled back here); `false` when there was none.
pub async fn delete_resource(
    txn: DatabaseTransaction,
    tenant: Uuid,
    kind: ResourceKind,
    id: Uuid,
    event: &EventDraft,
) -> DomainResult<bool> {
    if lock_row(&txn, tenant, kind, id).await? == 0 {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(false);
    }
    // The event names the version deleted; the row lock keeps it from moving meanwhile.
    let version = current_version(&txn, tenant, id).await?;
    // The groups it leaves hear of it; read before the row goes (its memberships cascade).
    let parents = parent_groups(&txn, tenant, id).await?;
    let at = micros(event.at);
    if let Some(purge_after) = deletion_policy(&txn, tenant).await?.purge_after(at) {
        let groups: Vec<Uuid> = parents.iter().map(|(group, _, _)| *group).collect();
        archive_resource(&txn, tenant, id, &groups, at, purge_after).await?;
    }
    let deleted = resources::Entity::delete_many()
        .filter(resources::Column::TenantId.eq(tenant))
        .filter(resources::Column::Id.eq(id))
        .filter(resources::Column::ResourceType.eq(kind.name()))
        .exec(&txn)
        .await
        .map_err(unavailable)?;
    if deleted.rows_affected == 0 {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(false);
    }
    // The foreign keys cascade; deleting explicitly as well keeps this correct on a
    // connection where SQLite's foreign-key enforcement is off.
    replace_values(&txn, tenant, id, &[]).await?;
    gm::Entity::delete_many()
        .filter(gm::Column::TenantId.eq(tenant))
        .filter(gm::Column::GroupId.eq(id).or(gm::Column::MemberId.eq(id)))
        .exec(&txn)
        .await
        .map_err(unavailable)?;
    let mut events = event.events(version, &MemberDiff::default());
    events.extend(
        parents
            .into_iter()
            .map(|(group, version, external)| event.left_group(group, version, external)),
    );
    outbox::record(&txn, tenant, events).await?;
    resource_counts::adjust(&txn, tenant, kind, id, -1).await?;
    txn.commit().await.map_err(unavailable)?;
    Ok(true)
}
