#![allow(clippy::disallowed_methods)] // tests compare against the wall clock
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_trait::async_trait;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::*;
use crate::error::DomainError;

/// A map; fails every call while `down` is set.
#[derive(Default)]
struct MapCache {
    entries: Mutex<HashMap<String, Vec<u8>>>,
    down: AtomicBool,
}

impl MapCache {
    fn check(&self) -> DomainResult<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(DomainError::unavailable(std::io::Error::other("down")));
        }
        Ok(())
    }
}

#[async_trait]
impl Cache for MapCache {
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        self.check()?;
        Ok(self.entries.lock().unwrap().get(key).cloned())
    }

    async fn put(&self, key: &str, value: Vec<u8>, _ttl: Duration) -> DomainResult<()> {
        self.check()?;
        self.entries.lock().unwrap().insert(key.to_owned(), value);
        Ok(())
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        self.check()?;
        self.entries.lock().unwrap().remove(key);
        Ok(())
    }
}

fn user(id: Uuid, name: &str, bytes: usize) -> StoredResource {
    let mut document = Map::new();
    document.insert("userName".into(), json!(name));
    document.insert("nickName".into(), Value::String("x".repeat(bytes)));
    StoredResource {
        id,
        kind: ResourceKind::User,
        version: 1,
        created: Utc::now(),
        last_modified: Utc::now(),
        document,
        members: Vec::new(),
        groups: Vec::new(),
    }
}

/// Reads through `cache`, counting how often the store was asked.
async fn read(
    cache: &ReadCache,
    tenant: TenantId,
    stored: &StoredResource,
    loads: &AtomicUsize,
) -> StoredResource {
    cache
        .get_or_load(tenant, ResourceKind::User, stored.id, || async {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok(Some(stored.clone()))
        })
        .await
        .unwrap()
        .unwrap()
}

fn setup() -> (Arc<MapCache>, ReadCache, TenantId) {
    let map = Arc::new(MapCache::default());
    let cache = ReadCache::new(map.clone(), Duration::from_secs(60));
    (map, cache, TenantId(Uuid::now_v7()))
}

#[tokio::test]
async fn second_read_is_served_from_the_cache() {
    let (_, cache, tenant) = setup();
    let stored = user(Uuid::now_v7(), "ada", 0);
    let loads = AtomicUsize::new(0);

    assert_eq!(read(&cache, tenant, &stored, &loads).await, stored);
    assert_eq!(read(&cache, tenant, &stored, &loads).await, stored);

    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_write_to_the_tenant_makes_every_cached_read_stale() {
    let (_, cache, tenant) = setup();
    let first = user(Uuid::now_v7(), "ada", 0);
    let second = user(Uuid::now_v7(), "bob", 0);
    let loads = AtomicUsize::new(0);
    read(&cache, tenant, &first, &loads).await;
    read(&cache, tenant, &second, &loads).await;

    // A write to `first` also changes what `second` shows when they share a group.
    cache.tenant_changed(tenant).await;
    read(&cache, tenant, &first, &loads).await;
    read(&cache, tenant, &second, &loads).await;

    assert_eq!(loads.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_write_to_another_tenant_keeps_the_cached_reads() {
    let (_, cache, tenant) = setup();
    let stored = user(Uuid::now_v7(), "ada", 0);
    let loads = AtomicUsize::new(0);
    read(&cache, tenant, &stored, &loads).await;

    cache.tenant_changed(TenantId(Uuid::now_v7())).await;
    read(&cache, tenant, &stored, &loads).await;

    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_unavailable_cache_means_reading_the_store() {
    let (map, cache, tenant) = setup();
    let stored = user(Uuid::now_v7(), "ada", 0);
    let loads = AtomicUsize::new(0);
    map.down.store(true, Ordering::SeqCst);

    assert_eq!(read(&cache, tenant, &stored, &loads).await, stored);
    cache.tenant_changed(tenant).await;
    assert_eq!(read(&cache, tenant, &stored, &loads).await, stored);

    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn huge_resources_are_not_cached() {
    let (_, cache, tenant) = setup();
    let stored = user(Uuid::now_v7(), "ada", MAX_CACHED_BYTES);
    let loads = AtomicUsize::new(0);

    read(&cache, tenant, &stored, &loads).await;
    read(&cache, tenant, &stored, &loads).await;

    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn missing_resources_are_not_cached() {
    let (map, cache, tenant) = setup();

    let found = cache
        .get_or_load(tenant, ResourceKind::User, Uuid::now_v7(), || async {
            Ok(None)
        })
        .await
        .unwrap();

    assert_eq!(found, None);
    // Only the generation was written.
    assert_eq!(map.entries.lock().unwrap().len(), 1);
}
