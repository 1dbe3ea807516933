//! Updates of User documents (PUT, and PATCH of attributes) written together: one transaction
//! holds each row's version-checked UPDATE, then every written resource's value rows, audit
//! entries and events in a few multi-row statements, and one commit. An update whose version
//! moved writes nothing and answers `None`, as it would alone (its caller reads again and
//! retries). Any error fails the whole batch; the combiner then writes its updates one by one.

use std::collections::HashMap;

use scimgate_domain::error::DomainResult;
use scimgate_domain::event::{EventDraft, MemberDiff};
use scimgate_domain::resource::stored::{ResourceWrite, StoredResource};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::document_writes::update_document;
use super::entities::{resource_values as rv, resources};
use super::errors::unavailable;
use super::guard_rails::seats_left;
use super::outbox;
use super::resource_rows::{attach_relations, from_row};
use super::value_index::insert_values_of;
use super::visible_rows::VisibleSql;
use super::write_txn::WriteTxns;

/// One update: a User document that names no other resource, under the version it was read at.
pub struct DocumentUpdate<'a> {
    pub write: &'a ResourceWrite,
    pub expected_version: i64,
    pub event: &'a EventDraft,
    /// Whether the caller wants the stored resource back (PUT) or only its version (PATCH).
    pub load: bool,
}

/// What a written update answers.
pub enum Updated {
    Version(i64),
    Resource(StoredResource),
}

/// Writes `updates` of `visible.tenant`, whose ids are distinct, in one transaction. The
/// loaded resources carry relations as `visible` sees them.
pub async fn update_batch(
    writes: &WriteTxns,
    visible: VisibleSql<'_>,
    updates: &[DocumentUpdate<'_>],
) -> DomainResult<Vec<Option<Updated>>> {
    let tenant = visible.tenant;
    let txn = writes.begin(None).await?;
    // Past the limit the whole batch fails; its combiner then writes each update alone, and
    // those within the limit pass.
    let seats = updates.iter().filter(|u| u.write.takes_seat).count() as u64;
    if seats > 0
        && let Some(held) = seats_left(&txn, tenant).await?
        && held.left < seats
    {
        return Err(held.refusal());
    }
    let mut written = Vec::with_capacity(updates.len());
    for update in updates {
        let changed =
            update_document(&txn, tenant, update.write, update.expected_version).await? == 1;
        written.push(changed);
    }
    let done: Vec<&DocumentUpdate<'_>> = updates
        .iter()
        .zip(&written)
        .filter_map(|(update, changed)| changed.then_some(update))
        .collect();
    replace_value_rows(&txn, tenant, &done).await?;
    let entries: Vec<_> = done.iter().filter_map(|u| u.event.audit.as_ref()).collect();
    writes.add_entries(&txn, &entries).await?;
    let none = MemberDiff::default();
    let events = done
        .iter()
        .flat_map(|u| u.event.events(u.expected_version + 1, &none))
        .collect();
    outbox::record(&txn, tenant, events).await?;
    let mut loaded = load_written(&txn, visible, &done).await?;
    txn.commit().await.map_err(unavailable)?;
    Ok(updates
        .iter()
        .zip(written)
        .map(|(update, changed)| {
            if !changed {
                None
            } else if update.load {
                loaded.remove(&update.write.id).map(Updated::Resource)
            } else {
                Some(Updated::Version(update.expected_version + 1))
            }
        })
        .collect())
}

/// Every value row of the written resources, replaced in one DELETE and a few INSERTs.
async fn replace_value_rows(
    txn: &impl ConnectionTrait,
    tenant: Uuid,
    done: &[&DocumentUpdate<'_>],
) -> DomainResult<()> {
    if done.is_empty() {
        return Ok(());
    }
    rv::Entity::delete_many()
        .filter(rv::Column::TenantId.eq(tenant))
        .filter(rv::Column::ResourceId.is_in(done.iter().map(|u| u.write.id)))
        .exec(txn)
        .await
        .map_err(unavailable)?;
    insert_values_of(txn, tenant, done.iter().map(|u| u.write)).await
}

/// The written resources their callers want back, by id, read inside the transaction.
async fn load_written(
    txn: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    done: &[&DocumentUpdate<'_>],
) -> DomainResult<HashMap<Uuid, StoredResource>> {
    let wanted: Vec<Uuid> = done.iter().filter(|u| u.load).map(|u| u.write.id).collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = resources::Entity::find()
        .filter(resources::Column::TenantId.eq(visible.tenant))
        .filter(resources::Column::Id.is_in(wanted))
        .all(txn)
        .await
        .map_err(unavailable)?;
    let mut found = rows
        .into_iter()
        .map(from_row)
        .collect::<DomainResult<Vec<_>>>()?;
    attach_relations(txn, visible, &mut found).await?;
    Ok(found.into_iter().map(|r| (r.id, r)).collect())
}
