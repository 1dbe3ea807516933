//! Creating one resource in its transaction: the row, the members and references it names
//! (checked against the tenant there), its value index, its events and the count.

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::{EventDraft, MemberDiff};
use scimgate_domain::resource::stored::{ResourceWrite, StoredResource};
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait};
use uuid::Uuid;

use super::document_writes::uniqueness_error;
use super::entities::resources;
use super::errors::{on_write, unavailable};
use super::guard_rails::take_seat;
use super::membership::{insert_members, member_gone, resolve_members};
use super::new_rows::resource_row;
use super::outbox;
use super::references::check_references;
use super::resource_counts;
use super::resource_load::{OwnRows, load};
use super::resource_rows::{from_row, micros};
use super::value_index::insert_values;
use super::visible_rows::VisibleSql;

/// Inserts `write` in `txn` (which already holds its audit entry) and commits.
pub async fn insert_resource(
    txn: DatabaseTransaction,
    visible: VisibleSql<'_>,
    tenant: Uuid,
    write: &ResourceWrite,
    event: &EventDraft,
) -> DomainResult<StoredResource> {
    // Both databases keep microseconds: what is answered is what a read finds later.
    let at = micros(write.at);
    if write.takes_seat {
        take_seat(&txn, tenant).await?;
    }
    let members = resolve_members(&txn, tenant, &write.members).await?;
    let row = resource_row(tenant, write, at);
    resources::Entity::insert(resources::ActiveModel::from(row.clone()).reset_all())
        .exec_without_returning(&txn)
        .await
        .map_err(|err| on_write(err, || uniqueness_error(write), member_gone))?;
    check_references(&txn, tenant, &write.references).await?;
    insert_members(&txn, tenant, write.id, &members).await?;
    insert_values(&txn, tenant, write.id, &write.values).await?;
    let stored = match write.kind {
        // A user just made belongs to no group yet: the row is all there is to read.
        ResourceKind::User => Some(from_row(row)?),
        ResourceKind::Group => load(&txn, visible, write.kind, write.id, OwnRows::Checked).await?,
    };
    let added = MemberDiff::between(&[], &write.members);
    outbox::record(&txn, tenant, event.events(1, &added)).await?;
    // Last before the commit: the counter shard is held for as short a time as possible.
    resource_counts::adjust(&txn, tenant, write.kind, write.id, 1).await?;
    txn.commit().await.map_err(unavailable)?;
    stored.ok_or_else(|| DomainError::unavailable(sea_orm::DbErr::RecordNotInserted))
}
