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
    resource(ResourceKind::User, id, document)
}

fn group(name: &str) -> StoredResource {
    let mut document = Map::new();
    document.insert("displayName".into(), json!(name));
    resource(ResourceKind::Group, Uuid::now_v7(), document)
}

fn resource(kind: ResourceKind, id: Uuid, document: Map<String, Value>) -> StoredResource {
    StoredResource {
        id,
        kind,
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
    read_as(cache, tenant, stored, "", loads).await
}

/// [`read`] of one caller's view.
async fn read_as(
    cache: &ReadCache,
    tenant: TenantId,
    stored: &StoredResource,
    view: &str,
    loads: &AtomicUsize,
) -> StoredResource {
    cache
        .get_or_load_as(tenant, stored.kind, stored.id, view, || async {
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
    let second = group("team");
    let loads = AtomicUsize::new(0);
    read(&cache, tenant, &first, &loads).await;
    read(&cache, tenant, &second, &loads).await;
    read_as(&cache, tenant, &first, "partner", &loads).await;

    // A group's rename changes what its members' members show, at any depth.
    cache.tenant_changed(tenant).await;
    read(&cache, tenant, &first, &loads).await;
    read(&cache, tenant, &second, &loads).await;
    read_as(&cache, tenant, &first, "partner", &loads).await;

    assert_eq!(loads.load(Ordering::SeqCst), 6);
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
    // Only the generations (the kind's, the resource's) were written.
    assert_eq!(map.entries.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_write_to_one_resource_keeps_the_others_cached() {
    let (_, cache, tenant) = setup();
    let written = user(Uuid::now_v7(), "ada", 0);
    let other = user(Uuid::now_v7(), "bob", 0);
    let written_loads = AtomicUsize::new(0);
    let other_loads = AtomicUsize::new(0);
    read(&cache, tenant, &written, &written_loads).await;
    read(&cache, tenant, &other, &other_loads).await;

    cache
        .resource_changed(tenant, ResourceKind::User, written.id)
        .await;
    read(&cache, tenant, &written, &written_loads).await;
    read(&cache, tenant, &other, &other_loads).await;

    assert_eq!(written_loads.load(Ordering::SeqCst), 2);
    assert_eq!(other_loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_resource_change_drops_every_view_of_it() {
    let (_, cache, tenant) = setup();
    let stored = user(Uuid::now_v7(), "ada", 0);
    let loads = AtomicUsize::new(0);
    read_as(&cache, tenant, &stored, "partner", &loads).await;
    read_as(&cache, tenant, &stored, "partner", &loads).await;

    cache
        .resource_changed(tenant, ResourceKind::User, stored.id)
        .await;
    read_as(&cache, tenant, &stored, "partner", &loads).await;

    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_kind_change_drops_that_kind_and_every_view_but_keeps_the_other_kind() {
    let (_, cache, tenant) = setup();
    let member = user(Uuid::now_v7(), "ada", 0);
    let team = group("team");
    let (user_loads, group_loads, view_loads) = Default::default();
    read(&cache, tenant, &member, &user_loads).await;
    read(&cache, tenant, &team, &group_loads).await;
    read_as(&cache, tenant, &member, "partner", &view_loads).await;

    // A user's rename shows in every group listing it, and may move it in or out of rows.
    cache.kind_changed(tenant, ResourceKind::Group).await;
    read(&cache, tenant, &member, &user_loads).await;
    read(&cache, tenant, &team, &group_loads).await;
    read_as(&cache, tenant, &member, "partner", &view_loads).await;

    let loads = |counter: &AtomicUsize| counter.load(Ordering::SeqCst);
    assert_eq!(
        [loads(&user_loads), loads(&group_loads), loads(&view_loads)],
        [1, 2, 2]
    );
}

#[tokio::test]
async fn a_views_change_keeps_the_stored_forms() {
    let (_, cache, tenant) = setup();
    let stored = user(Uuid::now_v7(), "ada", 0);
    let (stored_loads, view_loads) = Default::default();
    read(&cache, tenant, &stored, &stored_loads).await;
    read_as(&cache, tenant, &stored, "partner", &view_loads).await;

    cache.views_changed(tenant).await;
    read(&cache, tenant, &stored, &stored_loads).await;
    read_as(&cache, tenant, &stored, "partner", &view_loads).await;

    assert_eq!(stored_loads.load(Ordering::SeqCst), 1);
    assert_eq!(view_loads.load(Ordering::SeqCst), 2);
}
