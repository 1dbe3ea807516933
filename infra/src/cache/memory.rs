//! An in-process cache for a single replica: bounded, and each entry lives for the ttl its
//! writer chose. Alone it is the cache of a deployment without Redis; in front of Redis it is
//! the first level of `TwoLevelCache`.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use moka::Expiry;
use moka::future::Cache as MokaCache;
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::Cache;

/// A value together with the ttl it was written with, so the expiry policy can read it.
#[derive(Clone)]
struct Entry {
    bytes: Vec<u8>,
    ttl: Duration,
}

/// Expires every entry `ttl` after its latest write; reads do not extend it.
struct WrittenTtl;

impl Expiry<String, Entry> for WrittenTtl {
    fn expire_after_create(&self, _key: &String, entry: &Entry, _at: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    // Without this, overwriting a key would keep the previous entry's deadline.
    fn expire_after_update(
        &self,
        _key: &String,
        entry: &Entry,
        _at: Instant,
        _remaining: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

pub struct MemoryCache {
    entries: MokaCache<String, Entry>,
}

/// An entry's share of the capacity: one per started KiB, so a capacity of `n` holds `n`
/// token verifications or fewer, larger resources, and memory stays bounded either way.
fn weight(key: &str, entry: &Entry) -> u32 {
    let kib = (key.len() + entry.bytes.len()) / 1024 + 1;
    u32::try_from(kib).unwrap_or(u32::MAX)
}

impl MemoryCache {
    /// A cache of at most `capacity` weight (see [`weight`]); beyond that moka evicts the
    /// least useful entries.
    pub fn new(capacity: u64) -> Self {
        let entries = MokaCache::builder()
            .max_capacity(capacity)
            .weigher(|key: &String, entry: &Entry| weight(key, entry))
            .expire_after(WrittenTtl)
            .build();
        Self { entries }
    }

    /// Drops every entry (those written after this call stay).
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }
}

#[async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        // moka hides an expired entry from reads even before its housekeeping evicts it.
        Ok(self.entries.get(key).await.map(|entry| entry.bytes))
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> DomainResult<()> {
        let entry = Entry { bytes: value, ttl };
        self.entries.insert(key.to_owned(), entry).await;
        Ok(())
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        self.entries.invalidate(key).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn put_then_get_returns_the_value() {
        let cache = MemoryCache::new(100);
        cache
            .put("k", b"v".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(cache.get("k").await.unwrap(), Some(b"v".to_vec()));
        assert_eq!(cache.get("other").await.unwrap(), None);
    }

    #[tokio::test]
    async fn entry_expires_after_its_ttl() {
        let cache = MemoryCache::new(100);
        cache
            .put("short", b"v".to_vec(), Duration::from_millis(50))
            .await
            .unwrap();
        cache
            .put("long", b"w".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        cache.entries.run_pending_tasks().await;
        assert_eq!(cache.get("short").await.unwrap(), None);
        assert_eq!(cache.get("long").await.unwrap(), Some(b"w".to_vec()));
    }

    #[tokio::test]
    async fn overwrite_takes_the_new_ttl() {
        let cache = MemoryCache::new(100);
        cache
            .put("k", b"old".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        cache
            .put("k", b"new".to_vec(), Duration::from_millis(50))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(cache.get("k").await.unwrap(), None);
    }

    #[tokio::test]
    async fn clear_drops_every_entry() {
        let cache = MemoryCache::new(100);
        for key in ["a", "b"] {
            cache
                .put(key, b"v".to_vec(), Duration::from_secs(60))
                .await
                .unwrap();
        }
        cache.clear();
        assert_eq!(cache.get("a").await.unwrap(), None);
        assert_eq!(cache.get("b").await.unwrap(), None);
    }

    #[tokio::test]
    async fn large_entries_take_a_larger_share_of_the_capacity() {
        let cache = MemoryCache::new(10);
        for n in 0..4 {
            let key = format!("big{n}");
            cache
                .put(&key, vec![0; 4 * 1024], Duration::from_secs(60))
                .await
                .unwrap();
        }
        cache.entries.run_pending_tasks().await;
        // Four entries of 5 KiB weight each do not fit a capacity of 10.
        assert!(cache.entries.weighted_size() <= 10);
        assert!(cache.entries.entry_count() <= 2);
    }

    #[tokio::test]
    async fn remove_drops_the_entry() {
        let cache = MemoryCache::new(100);
        cache
            .put("k", b"v".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        cache.remove("k").await.unwrap();
        assert_eq!(cache.get("k").await.unwrap(), None);
        // Removing a key that is not there is not an error.
        cache.remove("k").await.unwrap();
    }
}
