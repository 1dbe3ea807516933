//! The resource store as the service sees it once reads are cached: every write, whatever path
//! it comes by (POST, PUT, PATCH, DELETE, each Bulk operation, `/Me`), makes the cached reads
//! it changes stale. Wrapping the store keeps a future write path from forgetting to.
//!
//! What a write changes besides itself (see `read_cache` for the generations):
//!
//! Every write also drops the tenant's cached listings (`Stale::Lists`): a new or changed
//! resource may enter, leave or reorder any page.
//!
//! | write | stale besides listings |
//! |---|---|
//! | create a User | nothing: no cached read can show a resource that did not exist |
//! | replace, patch or delete a User | the User, every Group (they show its display) and every view |
//! | create a Group with Users only as members, or patch only Users in or out | the Group, those Users and every view |
//! | any other Group write (rename, replace, delete, nested groups, members cleared or chosen by filter, many members) | the whole tenant |
//!
//! Drops happen whatever the write returned: an error may still have committed (a connection
//! lost after COMMIT), and a needless drop only costs a cache miss.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::authz::VisibleRows;
use crate::error::DomainResult;
use crate::event::EventDraft;
use crate::patch::MembershipChange;
use crate::ports::{NewResource, PatchWrite, ResourceStore, WriteOutcome};
use crate::query::list::ListQuery;
use crate::resource::stored::{Page, ResourceWrite, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::service::scim::read_cache::{ReadCache, Stale};
use crate::tenant::TenantId;

pub struct InvalidatingStore {
    inner: Arc<dyn ResourceStore>,
    reads: Arc<ReadCache>,
}

/// A membership change naming more resources than this drops the whole tenant instead: one
/// cache removal each (a Redis round trip) would cost more than refilling the cache.
const MAX_MEMBERS_DROPPED: usize = 32;

impl InvalidatingStore {
    pub fn new(inner: Arc<dyn ResourceStore>, reads: Arc<ReadCache>) -> Self {
        Self { inner, reads }
    }

    /// After a write to user `id`: groups show its display, views its rows.
    async fn user_written(&self, tenant: TenantId, id: Uuid) {
        let stale = [
            Stale::Resource(ResourceKind::User, id),
            Stale::Kind(ResourceKind::Group),
            Stale::Lists,
        ];
        self.reads.changed(tenant, &stale).await;
    }

    /// After users `members` joined or left group `group` (and nothing else changed): their
    /// `groups` and the group's `members` changed. A nested group among them would change
    /// its own members' `groups` too, down any depth: then the whole tenant is stale.
    async fn members_changed(&self, tenant: TenantId, group: Uuid, members: &[Uuid]) {
        if !self.all_users(tenant, members).await {
            return self.reads.tenant_changed(tenant).await;
        }
        let mut stale = vec![
            Stale::Resource(ResourceKind::Group, group),
            Stale::Views,
            Stale::Lists,
        ];
        stale.extend(
            members
                .iter()
                .map(|member| Stale::Resource(ResourceKind::User, *member)),
        );
        self.reads.changed(tenant, &stale).await;
    }

    /// Whether each of `ids` is a User of the tenant (few enough to drop one by one); a
    /// resource the store cannot find or read counts as not a User.
    async fn all_users(&self, tenant: TenantId, ids: &[Uuid]) -> bool {
        if ids.len() > MAX_MEMBERS_DROPPED {
            return false;
        }
        for id in ids {
            let found = self
                .inner
                .get_document(tenant, ResourceKind::User, *id)
                .await;
            if !matches!(found, Ok(Some(_))) {
                return false;
            }
        }
        true
    }

    /// After a patch of group `id`: only a membership change naming its members one by one
    /// stays narrow.
    async fn group_patched(&self, tenant: TenantId, id: Uuid, write: &PatchWrite<'_>) {
        let MembershipChange {
            clear,
            add,
            remove,
            remove_matching,
        } = write.membership;
        if write.document.is_some() || *clear || !remove_matching.is_empty() {
            return self.reads.tenant_changed(tenant).await;
        }
        let named: Vec<Uuid> = add.iter().chain(remove).copied().collect();
        self.members_changed(tenant, id, &named).await;
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
        // A new User, or a new Group without members, relates to nothing cached yet.
        if write.kind == ResourceKind::Group && !write.members.is_empty() {
            self.members_changed(tenant, write.id, &write.members).await;
        } else {
            self.reads.changed(tenant, &[Stale::Lists]).await;
        }
        result
    }

    async fn insert_batch(
        &self,
        tenant: TenantId,
        writes: &[NewResource<'_>],
    ) -> DomainResult<Vec<DomainResult<StoredResource>>> {
        // A batch holds only resources that name no others: nothing cached relates to them,
        // but they show in listings.
        let result = self.inner.insert_batch(tenant, writes).await;
        self.reads.changed(tenant, &[Stale::Lists]).await;
        result
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
        match write.kind {
            ResourceKind::User => self.user_written(tenant, write.id).await,
            ResourceKind::Group => self.reads.tenant_changed(tenant).await,
        }
        result
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
        match write.kind {
            ResourceKind::User => self.user_written(tenant, write.id).await,
            ResourceKind::Group => self.group_patched(tenant, write.id, &write).await,
        }
        result
    }

    async fn delete(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        event: &EventDraft,
    ) -> DomainResult<bool> {
        let result = self.inner.delete(tenant, kind, id, event).await;
        match kind {
            ResourceKind::User => self.user_written(tenant, id).await,
            ResourceKind::Group => self.reads.tenant_changed(tenant).await,
        }
        result
    }

    async fn restore(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>> {
        let result = self.inner.restore(tenant, write, event).await;
        // It rejoins groups (and, a group, takes its members back): like a nested-group write.
        self.reads.tenant_changed(tenant).await;
        result
    }
}
