//! The store of Users and Groups, and the writes it takes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::authz::VisibleRows;
use crate::error::DomainResult;
use crate::event::EventDraft;
use crate::patch::MembershipChange;
use crate::query::list::ListQuery;
use crate::resource::stored::{Page, ResourceWrite, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::tenant::TenantId;

/// What became of a conditional write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written {
        version: i64,
    },
    /// Someone else wrote first; re-read and try again.
    VersionMoved,
    Missing,
}

/// What one PATCH writes, in one transaction (see [`ResourceStore::patch`]).
#[derive(Clone, Copy)]
pub struct PatchWrite<'a> {
    pub kind: ResourceKind,
    pub id: Uuid,
    /// The new document, when the operations changed it.
    pub document: Option<&'a ResourceWrite>,
    /// The version the document was read at; the write applies only if it still is.
    pub expected_version: i64,
    pub membership: &'a MembershipChange,
    /// The writer's rows: clearing or filtering members touches only members inside them.
    pub rows: &'a VisibleRows,
    pub at: DateTime<Utc>,
    /// The change events of this write, recorded in its transaction when it changes anything.
    pub event: &'a EventDraft,
}

/// One create of a batch (see [`ResourceStore::insert_batch`]).
#[derive(Clone, Copy)]
pub struct NewResource<'a> {
    pub write: &'a ResourceWrite,
    pub event: &'a EventDraft,
}

/// Users and groups of one tenant at a time: every method names the tenant.
#[async_trait]
pub trait ResourceStore: Send + Sync {
    /// Inserts a new resource in one transaction, with the change events of `event`. A taken
    /// unique value fails with `Uniqueness`; a member that is not a resource of the tenant
    /// with `InvalidValue`. Every write method records its events in the outbox within its
    /// own transaction: a write that commits has its events, one that fails has none.
    async fn insert(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<StoredResource>;

    /// Inserts new resources that name no others (no members, no references) in one
    /// transaction, in order, each with its events: one whose unique value is taken (by a
    /// stored resource or an earlier one of the batch) fails alone with `Uniqueness` and
    /// leaves nothing, the others commit. `Err` when the transaction failed as a whole.
    async fn insert_batch(
        &self,
        tenant: TenantId,
        writes: &[NewResource<'_>],
    ) -> DomainResult<Vec<DomainResult<StoredResource>>>;

    async fn get(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>>;

    /// The resource as a caller seeing `rows` sees it: `None` when it lies outside
    /// `rows.of(kind)` (decided on its complete relations, as a listing decides), else with
    /// only the members, or groups, inside `rows`.
    async fn get_visible(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        rows: &VisibleRows,
    ) -> DomainResult<Option<StoredResource>>;

    /// One page of the resources matching `query.filter` and `query.rows`, in `query.sort`
    /// order (creation order without one), always tie-broken by id; with the total number of
    /// matches. Membership conditions of `query.filter`, and the relations of the page, see
    /// only related resources inside `query.rows`.
    async fn list(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        query: &ListQuery,
    ) -> DomainResult<Page>;

    /// Replaces the resource if its version is still `expected_version`. Returns `None` when
    /// the resource is gone or was changed meanwhile (the caller re-reads to tell which).
    /// A group's members outside `rows` stay (the writer cannot see them, so its member list
    /// cannot name them); the resource returned shows the relations inside `rows`.
    async fn replace(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        expected_version: i64,
        rows: &VisibleRows,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>>;

    /// The resource without its relations: what a PATCH needs, in O(1) whatever the group size.
    async fn get_document(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>>;

    /// PATCH in one transaction: the new document when there is one (only if the version is
    /// still `expected_version`), then the membership change in O(k) for k changed members.
    /// Without a document the version is bumped whatever it is, but only when a membership
    /// row changed: membership edits commute, so concurrent member additions never lose each
    /// other, and one that changes nothing leaves version and `lastModified` alone. Clearing
    /// the members, or removing those a filter selects, touches only members inside `rows`.
    async fn patch(&self, tenant: TenantId, write: PatchWrite<'_>) -> DomainResult<WriteOutcome>;

    /// Deletes the resource and every membership naming it; `false` when there was none.
    /// Under a tenant's soft-delete policy (read in the same transaction) the resource, its
    /// memberships as ids and its password hash move to the archive instead.
    async fn delete(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        event: &EventDraft,
    ) -> DomainResult<bool>;

    /// Puts soft-deleted `write.id` back with its id, created date, password hash and the
    /// memberships whose other side still exists, at its archived version plus one, in one
    /// transaction with `event` (a create) and a `group.updated` for each group it rejoins.
    /// `None` when the archive holds no restorable resource of that id; a taken unique
    /// value fails with `Uniqueness` and leaves it archived.
    async fn restore(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>>;
}
