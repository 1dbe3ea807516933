//! Concurrent membership PATCHes of one group share a transaction. Each such PATCH takes the
//! group's row lock and holds it through its commit, so writers of one group commit one after
//! another, however many connections send them: at a commit's latency (2 ms on a disk that
//! syncs), a few hundred adds a second, the pace an IdP pushing a department into one group
//! meets. Here the first PATCH of a group starts a writer task; while its transaction runs,
//! later ones queue, and the writer takes them all (up to `MAX_BATCH`) into the next
//! transaction (`membership_batch`). Each caller still gets its own answer after the commit
//! that holds its change; a caller that goes away still has its change committed.
//!
//! Only patches that name their members (add, remove by `value`) combine; a clear, a removal
//! by filter or a document change depends on the writer's view and takes the usual path.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex, PoisonError};

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::WriteOutcome;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::membership_batch::{MemberEdit, write_member_edits};
use super::write_txn::WriteTxns;

/// Most patches one transaction holds.
const MAX_BATCH: usize = 64;

type Key = (Uuid, Uuid);

struct Pending {
    edit: MemberEdit,
    reply: oneshot::Sender<DomainResult<WriteOutcome>>,
}

pub struct MembershipCombiner {
    writes: Arc<WriteTxns>,
    /// Patches waiting, per (tenant, group); a key is present while its writer runs.
    queues: Arc<Mutex<HashMap<Key, Vec<Pending>>>>,
}

impl MembershipCombiner {
    pub fn new(writes: Arc<WriteTxns>) -> Self {
        Self {
            writes,
            queues: Arc::default(),
        }
    }

    /// Writes `edit` to `group` in the next transaction of that group's writer.
    pub async fn patch(
        &self,
        tenant: Uuid,
        group: Uuid,
        edit: MemberEdit,
    ) -> DomainResult<WriteOutcome> {
        let (reply, answer) = oneshot::channel();
        let key = (tenant, group);
        let start_writer = {
            let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
            let start = matches!(queues.entry(key), Entry::Vacant(_));
            queues.entry(key).or_default().push(Pending { edit, reply });
            start
        };
        if start_writer {
            tokio::spawn(drain(self.writes.clone(), self.queues.clone(), key));
        }
        answer.await.map_err(|_| stopped())?
    }
}

/// Writes the group's queued patches, a batch at a time, until none is left; the key leaves
/// the map under the same lock that finds its queue empty, so a patch queued later starts a
/// new writer.
async fn drain(writes: Arc<WriteTxns>, queues: Arc<Mutex<HashMap<Key, Vec<Pending>>>>, key: Key) {
    let mut leaving = Leaving {
        queues: queues.clone(),
        key,
        armed: true,
    };
    loop {
        let batch = {
            let mut queues = queues.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(queue) = queues.get_mut(&key).filter(|queue| !queue.is_empty()) else {
                queues.remove(&key);
                // Once the lock drops, the key may belong to a new writer: leave it alone.
                leaving.armed = false;
                return;
            };
            let take = queue.len().min(MAX_BATCH);
            queue.drain(..take).collect::<Vec<_>>()
        };
        write(&writes, key, batch).await;
    }
}

/// Takes the key out of the map when its writer ends without doing so itself (a panic, or
/// the task dropped): a key left behind would make every later patch of the group wait for
/// a writer that never comes. Patches still queued then get an error.
struct Leaving {
    queues: Arc<Mutex<HashMap<Key, Vec<Pending>>>>,
    key: Key,
    armed: bool,
}

impl Drop for Leaving {
    fn drop(&mut self) {
        if self.armed {
            let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
            queues.remove(&self.key);
        }
    }
}

async fn write(writes: &WriteTxns, (tenant, group): Key, batch: Vec<Pending>) {
    let (edits, replies): (Vec<_>, Vec<_>) = batch.into_iter().map(|p| (p.edit, p.reply)).unzip();
    match write_member_edits(writes, tenant, group, &edits).await {
        Ok(outcomes) => {
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                // A caller that went away has nothing to be told.
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(err) if edits.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(err));
            }
        }
        Err(_) => {
            // Nothing of the batch was written; one edit's failure (a member deleted
            // meanwhile, a cycle of nested groups) must fail that edit alone.
            for (edit, reply) in edits.into_iter().zip(replies) {
                let alone = write_member_edits(writes, tenant, group, std::slice::from_ref(&edit))
                    .await
                    .map(|mut outcomes| outcomes.pop().unwrap_or(WriteOutcome::Missing));
                let _ = reply.send(alone);
            }
        }
    }
}

fn stopped() -> DomainError {
    DomainError::unavailable(std::io::Error::other(
        "the membership writer stopped before answering",
    ))
}
