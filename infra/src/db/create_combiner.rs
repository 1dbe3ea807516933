//! Concurrent creates share a transaction. A create alone pays a transaction of eight
//! statements and a commit; an IdP's initial sync sends dozens at once. Creates that name no
//! other resource are handed to a worker that takes everything queued (up to `MAX_BATCH`) and
//! writes it as one batch (`resource_batch`), each create still answering on its own: its row
//! committed, or its own `Uniqueness` error. A 201 still means committed: every caller waits
//! for its batch's commit.
//!
//! On SQLite, which writes one transaction at a time, one worker is the database's own order;
//! each statement also costs a hand-off to sqlx's SQLite thread, which a batch pays once. On
//! PostgreSQL a few workers keep batches small while the database commits in parallel.

use std::sync::Arc;

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::EventDraft;
use scimgate_domain::ports::NewResource;
use scimgate_domain::resource::stored::{ResourceWrite, StoredResource};
use sea_orm::DbBackend;
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

use super::combine::{by_tenant, next_batch};
use super::resource_batch::insert_batch;
use super::write_txn::WriteTxns;

/// Most creates one batch holds.
const MAX_BATCH: usize = 64;
/// Creates waiting for a worker before new ones wait to queue (backpressure).
const QUEUE: usize = 1024;
/// Workers on PostgreSQL: enough to keep it committing while one batch is in flight, few
/// enough that batches form.
const POSTGRES_WORKERS: usize = 4;

/// How many workers suit the database.
pub fn workers_for(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => POSTGRES_WORKERS,
        _ => 1,
    }
}

struct Pending {
    tenant: Uuid,
    write: ResourceWrite,
    event: EventDraft,
    reply: oneshot::Sender<DomainResult<StoredResource>>,
}

pub struct CreateCombiner {
    queue: mpsc::Sender<Pending>,
}

impl CreateCombiner {
    /// Starts `workers` workers on the current Tokio runtime; they stop when the combiner is
    /// dropped.
    pub fn start(writes: Arc<WriteTxns>, workers: usize) -> Self {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..workers.max(1) {
            tokio::spawn(work(writes.clone(), receiver.clone()));
        }
        Self { queue }
    }

    /// Inserts `write` (which must name no other resource) in the next batch.
    pub async fn insert(
        &self,
        tenant: Uuid,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<StoredResource> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            tenant,
            write: write.clone(),
            event: event.clone(),
            reply,
        };
        self.queue.send(pending).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn work(writes: Arc<WriteTxns>, receiver: Arc<Mutex<mpsc::Receiver<Pending>>>) {
    while let Some(batch) = next_batch(&receiver, MAX_BATCH).await {
        for (tenant, creates) in by_tenant(batch, |p| p.tenant) {
            write(&writes, tenant, creates).await;
        }
    }
}

async fn write(writes: &WriteTxns, tenant: Uuid, creates: Vec<Pending>) {
    let batch: Vec<NewResource<'_>> = creates
        .iter()
        .map(|p| NewResource {
            write: &p.write,
            event: &p.event,
        })
        .collect();
    let outcome = insert_batch(writes, tenant, &batch).await;
    drop(batch);
    match outcome {
        Ok(results) => {
            for (pending, result) in creates.into_iter().zip(results) {
                // A caller that went away has nothing to be told.
                let _ = pending.reply.send(result);
            }
        }
        Err(err) => {
            // Nothing of the batch was written: every create fails as it would have alone.
            let detail = err.to_string();
            let mut first = Some(err);
            for pending in creates {
                let err = first.take().unwrap_or_else(|| {
                    DomainError::unavailable(std::io::Error::other(detail.clone()))
                });
                let _ = pending.reply.send(Err(err));
            }
        }
    }
}

fn stopped() -> DomainError {
    DomainError::unavailable(std::io::Error::other("the create combiner has stopped"))
}
