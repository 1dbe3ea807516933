//! `ResourceStore::insert_batch`: Bulk's independent creates in one transaction, with
//! multi-row INSERTs. A taken userName must fail its own create only, and PostgreSQL aborts a
//! transaction at its first error, so the rows go in with `ON CONFLICT DO NOTHING` on the
//! userName index and the ids that came back say which creates were written; everything after
//! (value rows, audit entries, events, counts) is written for those alone.

use std::collections::{HashMap, HashSet};

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::MemberDiff;
use scimgate_domain::ports::NewResource;
use scimgate_domain::resource::stored::StoredResource;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, TryInsertResult,
};
use uuid::Uuid;

use super::document_writes::uniqueness_error;
use super::entities::resources;
use super::errors::unavailable;
use super::guard_rails::{Seats, seats_left};
use super::new_rows::{RESOURCE_COLUMNS, max_params, resource_row};
use super::outbox;
use super::resource_counts;
use super::resource_rows::{from_row, micros};
use super::value_index::insert_values_of;
use super::write_txn::WriteTxns;

/// Writes `creates` (resources naming no others) of `tenant`; see the port's contract.
pub async fn insert_batch(
    writes: &WriteTxns,
    tenant: Uuid,
    creates: &[NewResource<'_>],
) -> DomainResult<Vec<DomainResult<StoredResource>>> {
    if let Some(create) = creates
        .iter()
        .find(|c| !c.write.members.is_empty() || !c.write.references.is_empty())
    {
        // The domain only batches creates that name no one; anything else is a bug there.
        return Err(DomainError::unavailable(sea_orm::DbErr::Custom(format!(
            "resource {} names other resources and cannot be batched",
            create.write.id
        ))));
    }
    let txn = writes.begin(None).await?;
    let refused = past_seat_limit(&txn, tenant, creates).await?;
    let rows: Vec<resources::Model> = creates
        .iter()
        .map(|c| resource_row(tenant, c.write, micros(c.write.at)))
        .collect();
    let admitted: Vec<resources::Model> = rows
        .iter()
        .filter(|row| {
            !refused
                .as_ref()
                .is_some_and(|(ids, _)| ids.contains(&row.id))
        })
        .cloned()
        .collect();
    let written = insert_rows(&txn, &admitted).await?;
    let fresh: Vec<&NewResource<'_>> = creates
        .iter()
        .filter(|c| written.contains(&c.write.id))
        .collect();
    insert_values_of(&txn, tenant, fresh.iter().map(|c| c.write)).await?;
    let entries: Vec<_> = fresh
        .iter()
        .filter_map(|c| c.event.audit.as_ref())
        .collect();
    writes.add_entries(&txn, &entries).await?;
    let none = MemberDiff::default();
    let events = fresh
        .iter()
        .flat_map(|c| c.event.events(1, &none))
        .collect();
    outbox::record(&txn, tenant, events).await?;
    // Last before the commit: the counter shards are held for as short a time as possible.
    let mut added: HashMap<ResourceKind, (Uuid, i64)> = HashMap::new();
    for create in &fresh {
        added
            .entry(create.write.kind)
            .or_insert((create.write.id, 0))
            .1 += 1;
    }
    for (kind, (shard_of, count)) in added {
        resource_counts::adjust(&txn, tenant, kind, shard_of, count).await?;
    }
    txn.commit().await.map_err(unavailable)?;
    Ok(creates
        .iter()
        .zip(rows)
        .map(|(create, row)| {
            if written.contains(&create.write.id) {
                from_row(row)
            } else if let Some((ids, seats)) = &refused
                && ids.contains(&create.write.id)
            {
                Err(seats.refusal())
            } else {
                Err(uniqueness_error(create.write))
            }
        })
        .collect())
}

/// The active creates past the tenant's seat limit (the last ones of the batch), with the
/// seats held for the rest of `txn`; `None` when every create fits.
async fn past_seat_limit(
    txn: &DatabaseTransaction,
    tenant: Uuid,
    creates: &[NewResource<'_>],
) -> DomainResult<Option<(HashSet<Uuid>, Seats)>> {
    let taking: Vec<Uuid> = creates
        .iter()
        .filter(|c| c.write.takes_seat)
        .map(|c| c.write.id)
        .collect();
    if taking.is_empty() {
        return Ok(None);
    }
    let Some(seats) = seats_left(txn, tenant).await? else {
        return Ok(None);
    };
    let fit = usize::try_from(seats.left).unwrap_or(usize::MAX);
    if taking.len() <= fit {
        return Ok(None);
    }
    Ok(Some((taking.into_iter().skip(fit).collect(), seats)))
}

/// Inserts the rows whose userName is free (neither stored nor taken by an earlier row) and
/// returns their ids.
async fn insert_rows(
    txn: &DatabaseTransaction,
    rows: &[resources::Model],
) -> DomainResult<HashSet<Uuid>> {
    let per_statement = max_params(txn.get_database_backend()) / RESOURCE_COLUMNS;
    let mut written = HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(per_statement) {
        let models = chunk
            .iter()
            .map(|row| resources::ActiveModel::from(row.clone()).reset_all());
        let inserted = resources::Entity::insert_many(models)
            .on_conflict_do_nothing_on([
                resources::Column::TenantId,
                resources::Column::ResourceType,
                resources::Column::UserNameCi,
            ])
            .exec_with_returning_keys(txn)
            .await
            .map_err(unavailable)?;
        if let TryInsertResult::Inserted(keys) = inserted {
            written.extend(keys.into_iter().map(|(_, id)| id));
        }
    }
    Ok(written)
}
