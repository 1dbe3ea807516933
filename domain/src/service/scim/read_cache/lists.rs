//! Listings answered from the cache: `GET /Users?filter=userName eq "..."`, pages, `.search`.
//!
//! An IdP looks each user up by `userName` or `externalId` before it writes, and an app polls
//! the same pages; each such read costs a filter compiled to SQL and two round trips, against
//! one cache lookup for a read by id. A page is cached as the store returned it, before policy
//! and projection (the caller's rows are part of the query, hence of the key), under the
//! tenant's lists generation: every write of the tenant drops it (`Stale::Lists`), so a cached
//! page is never older than the last committed write a reader could have seen.

use std::future::Future;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::ReadCache;
use crate::error::DomainResult;
use crate::query::list::ListQuery;
use crate::resource::stored::Page;
use crate::schema::kind::ResourceKind;
use crate::tenant::TenantId;

/// Pages larger than this are read from the store every time: copying a page of large
/// resources through the cache costs about what reading it does, and it would crowd out
/// the single-resource entries.
const MAX_CACHED_PAGE_BYTES: usize = 256 * 1024;

/// `{tenant}` is a Redis Cluster hash tag: a tenant's keys live on one node.
pub(super) fn generation_key(tenant: TenantId) -> String {
    format!("gen:{{{}}}:lists", tenant.0)
}

/// Everything the page depends on besides the stored resources: the filter, order and rows
/// (`binding`, canonically printed), the window and whether relations are read. A digest
/// keeps keys short however long the filter.
fn page_key(tenant: TenantId, kind: ResourceKind, generation: &str, query: &ListQuery) -> String {
    let mut digest = Sha256::new();
    for part in [
        query.binding(),
        query.start_index.to_string(),
        query.count.to_string(),
        query.with_relations.to_string(),
        format!("{:?}", query.cursor),
    ] {
        // Each part's length first, so no two different splits hash alike.
        digest.update((part.len() as u64).to_le_bytes());
        digest.update(part.as_bytes());
    }
    let digest = URL_SAFE_NO_PAD.encode(digest.finalize());
    format!(
        "list:{{{}}}:{}:{generation}:{digest}",
        tenant.0,
        kind.name()
    )
}

impl ReadCache {
    /// The cached page of `query`, else what `load` reads from the store (then cached). The
    /// cache failing only means reading the store.
    pub async fn list_or_load<F, Fut>(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        query: &ListQuery,
        load: F,
    ) -> DomainResult<Page>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = DomainResult<Page>>,
    {
        let Some(generation) = self.generation(generation_key(tenant)).await else {
            return load().await;
        };
        let key = page_key(tenant, kind, &generation, query);
        if let Ok(Some(bytes)) = self.cache.get(&key).await
            && let Ok(page) = serde_json::from_slice::<Page>(&bytes)
            && page.resources.iter().all(|stored| stored.kind == kind)
        {
            return Ok(page);
        }
        let page = load().await?;
        if let Ok(bytes) = serde_json::to_vec(&page)
            && bytes.len() <= MAX_CACHED_PAGE_BYTES
            && let Err(err) = self.cache.put(&key, bytes, self.ttl).await
        {
            tracing::debug!(error = %err, "read cache unavailable; page not cached");
        }
        Ok(page)
    }
}
