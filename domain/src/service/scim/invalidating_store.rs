//! The resource store as the service sees it once reads are cached: every write, whatever path
//! it comes by (POST, PUT, PATCH, DELETE, each Bulk operation), makes the tenant's cached
//! reads stale. Wrapping the store keeps a future write path from forgetting to.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::authz::VisibleRows;
use crate::error::DomainResult;
use crate::event::EventDraft;
use crate::ports::{NewResource, PatchWrite, ResourceStore, WriteOutcome};
use crate::query::list::ListQuery;
use crate::resource::stored::{Page, ResourceWrite, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::service::scim::read_cache::ReadCache;
use crate::tenant::TenantId;

pub struct InvalidatingStore {
    inner: Arc<dyn ResourceStore>,
    reads: Arc<ReadCache>,
}

impl InvalidatingStore {
    pub fn new(inner: Arc<dyn ResourceStore>, reads: Arc<ReadCache>) -> Self {
        Self { inner, reads }
    }

    /// Invalidates whatever the write returned: an error may still have committed (a
    /// connection lost after COMMIT), and a needless invalidation only costs a cache miss.
    async fn written<T>(&self, tenant: TenantId, result: DomainResult<T>) -> DomainResult<T> {
        self.reads.tenant_changed(tenant).await;
        result
    }
}

#[async_trait]
impl ResourceStore for InvalidatingStore {
    async fn insert(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<StoredResource> {
        let result = self.inner.insert(tenant, write, event).await;
        self.written(tenant, result).await
    }

    async fn insert_batch(
        &self,
        tenant: TenantId,
        writes: &[NewResource<'_>],
    ) -> DomainResult<Vec<DomainResult<StoredResource>>> {
        let result = self.inner.insert_batch(tenant, writes).await;
        self.written(tenant, result).await
    }

    async fn get(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>> {
        self.inner.get(tenant, kind, id).await
    }

    async fn get_visible(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        rows: &VisibleRows,
    ) -> DomainResult<Option<StoredResource>> {
        self.inner.get_visible(tenant, kind, id, rows).await
    }

    async fn list(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        query: &ListQuery,
    ) -> DomainResult<Page> {
        self.inner.list(tenant, kind, query).await
    }

    async fn replace(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        expected_version: i64,
        rows: &VisibleRows,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>> {
        let result = self
            .inner
            .replace(tenant, write, expected_version, rows, event)
            .await;
        self.written(tenant, result).await
    }

    async fn get_document(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>> {
        self.inner.get_document(tenant, kind, id).await
    }

    async fn patch(&self, tenant: TenantId, write: PatchWrite<'_>) -> DomainResult<WriteOutcome> {
        let result = self.inner.patch(tenant, write).await;
        self.written(tenant, result).await
    }

    async fn delete(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        event: &EventDraft,
    ) -> DomainResult<bool> {
        let result = self.inner.delete(tenant, kind, id, event).await;
        self.written(tenant, result).await
    }
}
