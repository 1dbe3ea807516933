//! Concurrent updates of Users share a transaction, as creates do (`create_combiner`): an
//! IdP pushing attribute changes sends many PUTs and PATCHes at once, each alone a transaction
//! of about eight statements and a commit. A worker takes what is queued (up to `MAX_BATCH`)
//! and writes it with `update_batch`; every caller still gets its own answer after the commit:
//! its version or resource, or `None` when the version moved (the caller reads again and
//! retries, as it would alone). When a batch fails (a userName taken, by a stored user or by
//! another update of the batch) its updates are written one by one, so each gets the answer it
//! would have had alone.

use std::collections::HashMap;
use std::sync::Arc;

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::EventDraft;
use scimgate_domain::resource::stored::ResourceWrite;
use scimgate_domain::schema::SchemaRegistry;
use sea_orm::DbBackend;
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

use super::combine::{by_tenant, next_batch};
use super::resource_load::ALL;
use super::update_batch::{DocumentUpdate, Updated, update_batch};
use super::visible_rows::VisibleSql;
use super::write_txn::WriteTxns;

/// Most updates one batch holds.
const MAX_BATCH: usize = 64;
/// Updates waiting for a worker before new ones wait to queue (backpressure).
const QUEUE: usize = 1024;

struct Pending {
    tenant: Uuid,
    write: ResourceWrite,
    expected_version: i64,
    event: EventDraft,
    load: bool,
    reply: oneshot::Sender<DomainResult<Option<Updated>>>,
}

/// What the workers write with.
struct Writer {
    writes: Arc<WriteTxns>,
    registry: Arc<SchemaRegistry>,
    backend: DbBackend,
}

pub struct UpdateCombiner {
    queue: mpsc::Sender<Pending>,
}

impl UpdateCombiner {
    /// Starts `workers` workers on the current Tokio runtime; they stop when the combiner is
    /// dropped.
    pub fn start(
        writes: Arc<WriteTxns>,
        registry: Arc<SchemaRegistry>,
        backend: DbBackend,
        workers: usize,
    ) -> Self {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        let writer = Arc::new(Writer {
            writes,
            registry,
            backend,
        });
        for _ in 0..workers.max(1) {
            tokio::spawn(work(writer.clone(), receiver.clone()));
        }
        Self { queue }
    }

    /// Writes `write` (a User document naming no other resource) if its version is still
    /// `expected_version`; with `load`, answers the stored resource (relations unrestricted).
    pub async fn update(
        &self,
        tenant: Uuid,
        write: &ResourceWrite,
        expected_version: i64,
        event: &EventDraft,
        load: bool,
    ) -> DomainResult<Option<Updated>> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            tenant,
            write: write.clone(),
            expected_version,
            event: event.clone(),
            load,
            reply,
        };
        self.queue.send(pending).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn work(writer: Arc<Writer>, receiver: Arc<Mutex<mpsc::Receiver<Pending>>>) {
    while let Some(batch) = next_batch(&receiver, MAX_BATCH).await {
        for (tenant, updates) in by_tenant(batch, |p| p.tenant) {
            for round in rounds(updates, |p| p.write.id) {
                writer.write(tenant, round).await;
            }
        }
    }
}

/// `items` in rounds that each hold an id once: a second update of a resource goes in a later
/// round than the first, and so is checked against the version the first one left.
fn rounds<T>(items: Vec<T>, id_of: impl Fn(&T) -> Uuid) -> Vec<Vec<T>> {
    let mut rounds: Vec<Vec<T>> = Vec::new();
    let mut last_round: HashMap<Uuid, usize> = HashMap::new();
    for item in items {
        let round = last_round.get(&id_of(&item)).map_or(0, |r| r + 1);
        last_round.insert(id_of(&item), round);
        if rounds.len() <= round {
            rounds.push(Vec::new());
        }
        rounds[round].push(item);
    }
    rounds
}

impl Writer {
    async fn write(&self, tenant: Uuid, round: Vec<Pending>) {
        let visible = VisibleSql {
            registry: &self.registry,
            backend: self.backend,
            tenant,
            rows: ALL,
        };
        let updates: Vec<DocumentUpdate<'_>> = round.iter().map(as_update).collect();
        let outcome = update_batch(&self.writes, visible, &updates).await;
        drop(updates);
        match outcome {
            Ok(results) => {
                for (pending, result) in round.into_iter().zip(results) {
                    // A caller that went away has nothing to be told.
                    let _ = pending.reply.send(Ok(result));
                }
            }
            Err(err) if round.len() == 1 => {
                if let Some(pending) = round.into_iter().next() {
                    let _ = pending.reply.send(Err(err));
                }
            }
            Err(err) => {
                tracing::debug!(error = %err, updates = round.len(), "update batch failed; writing its updates one by one");
                for pending in round {
                    let alone = update_batch(&self.writes, visible, &[as_update(&pending)]).await;
                    let answer = alone.map(|mut results| results.pop().flatten());
                    let _ = pending.reply.send(answer);
                }
            }
        }
    }
}

fn as_update(pending: &Pending) -> DocumentUpdate<'_> {
    DocumentUpdate {
        write: &pending.write,
        expected_version: pending.expected_version,
        event: &pending.event,
        load: pending.load,
    }
}

fn stopped() -> DomainError {
    DomainError::unavailable(std::io::Error::other("the update combiner has stopped"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_updated_twice_gets_a_round_per_update_in_order() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let items = vec![(a, 1), (b, 2), (a, 3), (a, 4), (b, 5)];
        let rounds = rounds(items, |i| i.0);
        let numbers: Vec<Vec<i32>> = rounds
            .iter()
            .map(|round| round.iter().map(|i| i.1).collect())
            .collect();
        assert_eq!(numbers, vec![vec![1, 2], vec![3, 5], vec![4]]);
    }
}
