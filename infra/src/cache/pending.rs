//! Removals on their way to Redis: each deletes the key and announces it to every replica.
//! Those Redis misses (it failed or timed out) are kept and replayed by the invalidation
//! subscriber once Redis answers again, so a revocation or a write during an outage still
//! reaches a Redis that kept its data and, through the announcement, every replica.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use scimgate_domain::error::DomainResult;

use super::redis_cache::RedisCache;

/// Beyond this many distinct keys an outage forgets further ones: their entries then expire by
/// their ttl instead (`resource_cache_ttl_secs` for resource reads). Keys are per tenant, per
/// credential or per written resource (the read cache drops each written resource's own
/// generation), so an outage during which more than this many resources are written lets
/// the excess lag by up to that ttl.
const MAX_KEYS: usize = 10_000;

pub(crate) struct Removals {
    shared: Arc<RedisCache>,
    /// Where removals are announced: `{prefix}:invalidate`.
    channel: String,
    pending: Mutex<HashSet<String>>,
}

impl Removals {
    pub(crate) fn new(shared: Arc<RedisCache>, channel: String) -> Self {
        Self {
            shared,
            channel,
            pending: Mutex::new(HashSet::new()),
        }
    }

    /// Deletes and announces `key`; on failure it stays pending.
    pub(crate) async fn remove(&self, key: &str) -> DomainResult<()> {
        let result = self.shared.remove_and_publish(key, &self.channel).await;
        if result.is_err() {
            self.keep(key);
        }
        result
    }

    /// Sends what is pending, stopping at the first failure (the rest stays pending).
    pub(crate) async fn replay(&self) {
        let keys: Vec<String> = match self.pending.lock() {
            Ok(mut pending) if !pending.is_empty() => pending.drain().collect(),
            _ => return,
        };
        let mut keys = keys.into_iter();
        while let Some(key) = keys.next() {
            if self.remove(&key).await.is_err() {
                keys.for_each(|key| self.keep(&key));
                return;
            }
        }
        tracing::info!("invalidations missed during the Redis outage replayed");
    }

    /// Leaves `key` for the next replay.
    pub(crate) fn keep(&self, key: &str) {
        if let Ok(mut pending) = self.pending.lock()
            && (pending.len() < MAX_KEYS || pending.contains(key))
        {
            pending.insert(key.to_owned());
        }
    }
}
