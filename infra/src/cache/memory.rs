//! An in-process cache for a single replica: bounded, and each entry lives for the ttl its
//! writer chose.

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

impl MemoryCache {
    /// A cache holding at most `max_entries` entries; beyond that moka evicts the least useful.
    pub fn new(max_entries: u64) -> Self {
        let entries = MokaCache::builder()
            .max_capacity(max_entries)
            .expire_after(WrittenTtl)
            .build();
        Self { entries }
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
