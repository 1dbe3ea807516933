//! Single-resource reads (`GET /Users/{id}`, `GET /Groups/{id}`) answered from the cache.
//!
//! A rendered resource depends on others: a User carries the groups it belongs to (directly or
//! through nested groups) with their display names, a Group its members' display values. So
//! one write can change other cached reads than its own. Each entry's key therefore holds two
//! *generations*, and a write drops the ones its change reaches (`invalidating_store.rs`
//! decides which): later reads look under a new generation and miss, and the old entries are
//! never read again (they expire by their ttl).
//!
//! - The resource's own generation (`rgen:`): dropped by a write to that resource, or by a
//!   membership change that adds it to or removes it from a group.
//! - Its kind's generation in the tenant (`gen:`): dropping the Group one makes every cached
//!   Group stale (a User's rename or delete shows in the groups listing it), dropping all
//!   makes the whole tenant stale (a group rename or a nested-group change reaches members of
//!   members, which only a walk of the store could list).
//! - A caller's view (its policy hides some related resources) is filed under the tenant's
//!   *views* generation instead of the kind's: whether a resource is inside a caller's rows
//!   may depend on its relations (`groups.value eq ...`), so a change to one resource can
//!   show or hide it in the views of every resource related to it. Every write but a User's
//!   creation (nothing can relate to a resource that did not exist) drops it.
//!
//! Listings (filters, pages, searches) are cached under a third generation, the tenant's
//! *lists* generation, which every write of the tenant drops, creates included: which pages a
//! write reaches depends on filters, sorting and totals, so no narrower rule is sound. They
//! pay off when reads dominate, as in an IdP's lookups between syncs (see `lists.rs`).
//!
//! A generation is a random value created by the first read that finds none, never a counter:
//! a Redis restart or eviction that loses it can therefore never bring back an older one, so
//! no old entry can ever match again. Dropping it is a cache `remove`, which the two-level
//! cache broadcasts to every replica.
//!
//! Ordering makes it safe: a writer drops generations after its commit; a reader obtains both
//! generations before it reads the store. An entry read from the store before a commit is
//! thus filed under a generation that commit's writer dropped.
//!
//! Entries are the stored form, before policy and projection, which apply per request; a
//! caller whose policy hides some related resources reads its own view, filed under a key of
//! that view (`get_or_load_as`) and under the same generations, so a write drops every view.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use uuid::Uuid;

use crate::error::DomainResult;
use crate::ports::Cache;
use crate::resource::stored::StoredResource;
use crate::schema::kind::ResourceKind;
use crate::service::scim::invalidating_store::InvalidatingStore;
use crate::service::scim::resources::ResourceService;
use crate::tenant::TenantId;

/// Resources larger than this are read from the store every time: a group of 100 000 members
/// would cost more to copy through the cache than to read.
const MAX_CACHED_BYTES: usize = 64 * 1024;

/// What a write made stale, for [`ReadCache::changed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// Every cached read (every view) of one resource.
    Resource(ResourceKind, Uuid),
    /// Every cached read of one kind in the tenant, and every view.
    Kind(ResourceKind),
    /// Every caller's view in the tenant; stored forms stay.
    Views,
    /// Every cached listing of the tenant: whatever a write changes, it may change a page.
    Lists,
    /// Everything cached of the tenant.
    Tenant,
}

pub struct ReadCache {
    cache: Arc<dyn Cache>,
    ttl: Duration,
}

/// `{tenant}` is a Redis Cluster hash tag: a tenant's keys live on one node.
fn kind_generation_key(tenant: TenantId, kind: ResourceKind) -> String {
    format!("gen:{{{}}}:{}", tenant.0, kind.name())
}

fn views_generation_key(tenant: TenantId) -> String {
    format!("gen:{{{}}}:views", tenant.0)
}

fn resource_generation_key(tenant: TenantId, kind: ResourceKind, id: Uuid) -> String {
    format!("rgen:{{{}}}:{}:{id}", tenant.0, kind.name())
}

fn entry_key(tenant: TenantId, kind: ResourceKind, id: Uuid, generations: [&str; 2]) -> String {
    let [of_scope, of_resource] = generations;
    format!(
        "res:{{{}}}:{}:{id}:{of_scope}:{of_resource}",
        tenant.0,
        kind.name()
    )
}

impl ResourceService {
    /// Caches single-resource reads in `cache` for at most `ttl`; every write through this
    /// service then makes the cached reads it changes stale.
    pub fn with_read_cache(mut self, cache: Arc<dyn Cache>, ttl: Duration) -> Self {
        let reads = Arc::new(ReadCache::new(cache, ttl));
        self.store = Arc::new(InvalidatingStore::new(self.store, reads.clone()));
        self.reads = Some(reads);
        self
    }
}

impl ReadCache {
    /// Entries live at most `ttl` (a bound on staleness if an invalidation is ever lost).
    pub fn new(cache: Arc<dyn Cache>, ttl: Duration) -> Self {
        Self { cache, ttl }
    }

    /// The cached resource, else what `load` reads from the store (then cached). The cache
    /// failing only means reading the store.
    pub async fn get_or_load<F, Fut>(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        load: F,
    ) -> DomainResult<Option<StoredResource>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = DomainResult<Option<StoredResource>>>,
    {
        self.get_or_load_as(tenant, kind, id, "", load).await
    }

    /// [`Self::get_or_load`] for one view of the resource: what `load` reads under `view` (a
    /// non-empty key naming, say, the caller's visible rows) is cached apart from the stored
    /// form and from other views.
    pub async fn get_or_load_as<F, Fut>(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        view: &str,
        load: F,
    ) -> DomainResult<Option<StoredResource>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = DomainResult<Option<StoredResource>>>,
    {
        let scope_key = if view.is_empty() {
            kind_generation_key(tenant, kind)
        } else {
            views_generation_key(tenant)
        };
        let Some(of_scope) = self.generation(scope_key).await else {
            return load().await;
        };
        let resource_key = resource_generation_key(tenant, kind, id);
        let Some(of_resource) = self.generation(resource_key).await else {
            return load().await;
        };
        let mut key = entry_key(tenant, kind, id, [&of_scope, &of_resource]);
        if !view.is_empty() {
            key.push(':');
            key.push_str(view);
        }
        if let Ok(Some(bytes)) = self.cache.get(&key).await
            && let Ok(stored) = serde_json::from_slice::<StoredResource>(&bytes)
            && stored.kind == kind
            && stored.id == id
        {
            return Ok(Some(stored));
        }
        let loaded = load().await?;
        if let Some(stored) = &loaded
            && let Ok(bytes) = serde_json::to_vec(stored)
            && bytes.len() <= MAX_CACHED_BYTES
            && let Err(err) = self.cache.put(&key, bytes, self.ttl).await
        {
            tracing::debug!(error = %err, "read cache unavailable; not cached");
        }
        Ok(loaded)
    }

    /// Drops the generations of everything in `stale` at once: the removals run
    /// concurrently, so with Redis they share one round trip instead of paying one each.
    pub async fn changed(&self, tenant: TenantId, stale: &[Stale]) {
        let mut keys = Vec::new();
        for change in stale {
            match *change {
                Stale::Resource(kind, id) => keys.push(resource_generation_key(tenant, kind, id)),
                Stale::Kind(kind) => {
                    keys.push(kind_generation_key(tenant, kind));
                    keys.push(views_generation_key(tenant));
                }
                Stale::Views => keys.push(views_generation_key(tenant)),
                Stale::Lists => keys.push(lists::generation_key(tenant)),
                Stale::Tenant => {
                    for kind in [ResourceKind::User, ResourceKind::Group] {
                        keys.push(kind_generation_key(tenant, kind));
                    }
                    keys.push(views_generation_key(tenant));
                    keys.push(lists::generation_key(tenant));
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        join_all(keys.into_iter().map(|key| self.drop_generation(key))).await;
    }

    /// Every cached read of the tenant is stale from now on.
    pub async fn tenant_changed(&self, tenant: TenantId) {
        self.changed(tenant, &[Stale::Tenant]).await;
    }

    /// Every cached read of `kind` in the tenant is stale from now on, and every caller's
    /// view of any resource.
    pub async fn kind_changed(&self, tenant: TenantId, kind: ResourceKind) {
        self.changed(tenant, &[Stale::Kind(kind)]).await;
    }

    /// Every caller's view (see the module doc) of any resource is stale from now on; the
    /// stored forms stay.
    pub async fn views_changed(&self, tenant: TenantId) {
        self.changed(tenant, &[Stale::Views]).await;
    }

    /// The cached reads (every view) of resource `id` are stale from now on.
    pub async fn resource_changed(&self, tenant: TenantId, kind: ResourceKind, id: Uuid) {
        self.changed(tenant, &[Stale::Resource(kind, id)]).await;
    }

    async fn drop_generation(&self, key: String) {
        if let Err(err) = self.cache.remove(&key).await {
            // Entries of the old generation may be served until their ttl.
            tracing::warn!(error = %err, "read cache unavailable; cached reads may lag until their ttl");
        }
    }

    /// The generation kept under `key`, creating one when there is none; `None` when the
    /// cache cannot tell (then nothing is read from or written to it).
    async fn generation(&self, key: String) -> Option<String> {
        match self.cache.get(&key).await {
            Ok(Some(bytes)) => String::from_utf8(bytes).ok(),
            Ok(None) => {
                let fresh = Uuid::now_v7().simple().to_string();
                // Outlives its entries, which only ever waste memory when it expires first.
                let ttl = self.ttl.saturating_mul(2);
                self.cache
                    .put(&key, fresh.clone().into_bytes(), ttl)
                    .await
                    .ok()?;
                Some(fresh)
            }
            Err(_) => None,
        }
    }
}

mod lists;
#[cfg(test)]
mod tests;
