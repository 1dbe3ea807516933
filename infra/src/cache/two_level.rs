//! The cache of a deployment with Redis: an in-process level (moka) in front of Redis.
//!
//! Reads are answered in process when they can; what comes from Redis is kept in process for
//! at most the L1 ttl. A `remove` deletes the key in Redis, then publishes it on the
//! deployment's invalidation channel, and every replica (this one included) drops its
//! in-process copy when it hears it: a revocation or a write is seen everywhere within a
//! second. A lost message (Redis restarting, a partition) is bounded twice: the subscriber
//! drops the whole in-process level whenever it (re)subscribes, and no in-process entry
//! outlives the L1 ttl.
//!
//! Redis failing never fails a call: the call goes on with the in-process level alone
//! (counted and logged by [`Degraded`]), and callers read the database on a miss. Removals
//! Redis missed are replayed when it answers again (see [`Removals`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use opentelemetry::metrics::Meter;
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::Cache;

use super::degraded::Degraded;
use super::invalidation;
use super::memory::MemoryCache;
use super::pending::Removals;
use super::redis_cache::RedisCache;

/// The in-process level, shared with the invalidation subscriber.
pub(crate) struct Local {
    entries: MemoryCache,
    /// Moves on every invalidation. A value read from Redis is kept in process only if no
    /// invalidation arrived meanwhile: otherwise a read that raced a remote `remove` could
    /// keep the removed value here until its ttl.
    epoch: AtomicU64,
}

impl Local {
    pub(crate) async fn evict(&self, key: &str) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        // The in-process cache cannot fail.
        self.entries.remove(key).await.ok();
    }

    pub(crate) fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.entries.clear();
    }

    /// Keeps a value read from Redis when the epoch is still `seen` (checked after the insert,
    /// so an invalidation landing in between is not missed).
    async fn fill(&self, seen: u64, key: &str, value: Vec<u8>, ttl: Duration) {
        self.entries.put(key, value, ttl).await.ok();
        if self.epoch.load(Ordering::SeqCst) != seen {
            self.entries.remove(key).await.ok();
        }
    }
}

pub struct TwoLevelCache {
    local: Arc<Local>,
    shared: Arc<RedisCache>,
    removals: Arc<Removals>,
    /// The longest an entry stays in process.
    l1_ttl: Duration,
    degraded: Degraded,
}

impl TwoLevelCache {
    /// `capacity` bounds the in-process level like `MemoryCache::new`; starts the subscriber,
    /// which ends when the cache is dropped.
    pub fn new(shared: Arc<RedisCache>, capacity: u64, l1_ttl: Duration, meter: &Meter) -> Self {
        let local = Arc::new(Local {
            entries: MemoryCache::new(capacity),
            epoch: AtomicU64::new(0),
        });
        let channel = shared.channel("invalidate");
        let removals = Arc::new(Removals::new(shared.clone(), channel.clone()));
        invalidation::spawn_subscriber(
            shared.client().clone(),
            channel,
            Arc::downgrade(&local),
            removals.clone(),
        );
        Self {
            local,
            shared,
            removals,
            l1_ttl,
            degraded: Degraded::new(meter),
        }
    }
}

#[async_trait]
impl Cache for TwoLevelCache {
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        if let Ok(Some(value)) = self.local.entries.get(key).await {
            return Ok(Some(value));
        }
        if self.degraded.skipping("get") {
            return Ok(None);
        }
        let seen = self.local.epoch.load(Ordering::SeqCst);
        match self.shared.get_with_ttl(key).await {
            Ok(Some((value, ttl))) => {
                self.degraded.answered();
                let ttl = ttl.map_or(self.l1_ttl, |left| left.min(self.l1_ttl));
                self.local.fill(seen, key, value.clone(), ttl).await;
                Ok(Some(value))
            }
            Ok(None) => {
                self.degraded.answered();
                Ok(None)
            }
            Err(err) => {
                self.degraded.failed("get", &err);
                Ok(None)
            }
        }
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> DomainResult<()> {
        self.local
            .entries
            .put(key, value.clone(), ttl.min(self.l1_ttl))
            .await
            .ok();
        if self.degraded.skipping("put") {
            return Ok(());
        }
        match self.shared.put(key, value, ttl).await {
            Ok(()) => self.degraded.answered(),
            Err(err) => self.degraded.failed("put", &err),
        }
        Ok(())
    }

    /// A removal is a revocation or a write that other replicas must learn of. When Redis
    /// misses it (failing, or skipped right after a failure so that writes do not each wait
    /// out a timeout), the other replicas learn within the L1 ttl, and Redis once it answers
    /// again: the subscriber replays it then.
    async fn remove(&self, key: &str) -> DomainResult<()> {
        self.local.evict(key).await;
        if self.degraded.skipping("remove") {
            self.removals.keep(key);
            return Ok(());
        }
        match self.removals.remove(key).await {
            Ok(()) => self.degraded.answered(),
            Err(err) => self.degraded.failed("remove", &err),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
