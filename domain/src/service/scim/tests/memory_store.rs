//! An in-memory [`ResourceStore`] that keeps the promises the port documents (unique
//! `userName` per tenant ignoring case, conditional writes on the version, members that must
//! be resources of the tenant, events only for writes that commit), plus a way to lose a
//! write race on purpose: the store plays the concurrent writer that gets in first.

use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use uuid::Uuid;

use crate::authz::VisibleRows;
use crate::error::{DomainError, DomainResult};
use crate::event::EventDraft;
use crate::filter::{ResolvedFilter, matches};
use crate::ports::{NewResource, PatchWrite, ResourceStore, WriteOutcome};
use crate::query::list::ListQuery;
use crate::resource::render::render;
use crate::resource::stored::{Page, ResourceWrite, StoredResource};
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;
use crate::tenant::TenantId;

use super::memory_rows::{
    Interloper, Row, State, check_members, check_unique, find, find_mut, new_row, with_relations,
};

/// Rendering base for row filters: filters see what a client would see.
const BASE: &str = "https://memory.test/scim/v2";

pub struct MemoryStore {
    registry: Arc<SchemaRegistry>,
    state: Mutex<State>,
}

impl MemoryStore {
    pub fn new(registry: Arc<SchemaRegistry>) -> Self {
        Self {
            registry,
            state: Mutex::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("store lock")
    }

    /// The next conditional write finds that `winner` wrote the resource first (its version
    /// moves on); queued calls lose one write each, in order.
    pub fn lose_next_write(&self, winner: Interloper) {
        self.state().races.push(winner);
    }

    /// The events committed so far.
    pub fn outbox(&self) -> Vec<EventDraft> {
        self.state().outbox.clone()
    }

    /// A resource as stored, with its relations, whoever asks.
    pub fn stored(&self, tenant: TenantId, id: Uuid) -> Option<StoredResource> {
        let state = self.state();
        find(&state, tenant, id).map(|row| with_relations(&state, row))
    }

    /// Plays a lost race when one is queued: the winner changes the document and bumps the
    /// version, so the loser's expected version no longer holds.
    fn interfere(state: &mut State, tenant: TenantId, id: Uuid) {
        if state.races.is_empty() {
            return;
        }
        let winner = state.races.remove(0);
        if let Some(row) = find_mut(state, tenant, id) {
            winner(&mut row.resource.document);
            row.resource.version += 1;
        }
    }

    /// A copy of the tenant's `kind` row `id`.
    fn row(&self, tenant: TenantId, kind: ResourceKind, id: Uuid) -> Option<Row> {
        let state = self.state();
        find(&state, tenant, id)
            .filter(|row| row.resource.kind == kind)
            .cloned()
    }

    fn sees(&self, filter: Option<&ResolvedFilter>, resource: &StoredResource) -> bool {
        filter.is_none_or(|f| matches(f, &render(resource, BASE), &self.registry, resource.kind))
    }
}

#[async_trait]
impl ResourceStore for MemoryStore {
    async fn insert(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<StoredResource> {
        let mut state = self.state();
        check_unique(&state, tenant, write)?;
        check_members(&state, tenant, &write.members)?;
        let row = new_row(tenant, write);
        state.rows.push(row.clone());
        state.outbox.push(event.clone());
        Ok(with_relations(&state, &row))
    }

    async fn insert_batch(
        &self,
        tenant: TenantId,
        writes: &[NewResource<'_>],
    ) -> DomainResult<Vec<DomainResult<StoredResource>>> {
        let mut results = Vec::with_capacity(writes.len());
        for new in writes {
            results.push(self.insert(tenant, new.write, new.event).await);
        }
        Ok(results)
    }

    async fn get(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>> {
        let row = self.row(tenant, kind, id);
        Ok(row.map(|row| with_relations(&self.state(), &row)))
    }

    async fn get_visible(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        rows: &VisibleRows,
    ) -> DomainResult<Option<StoredResource>> {
        let Some(mut found) = self.get(tenant, kind, id).await? else {
            return Ok(None);
        };
        if !self.sees(rows.of(kind), &found) {
            return Ok(None);
        }
        let state = self.state();
        let visible = |id: Uuid| {
            find(&state, tenant, id)
                .is_some_and(|row| self.sees(rows.of(row.resource.kind), &row.resource))
        };
        found.members.retain(|member| visible(member.id));
        found.groups.retain(|group| visible(group.group_id));
        Ok(Some(found))
    }

    /// Filter, rows and offset paging in creation order; sorting and cursors are the SQL
    /// store's business and are not offered here.
    async fn list(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        query: &ListQuery,
    ) -> DomainResult<Page> {
        if query.sort.is_some() || query.cursor.is_some() {
            return Err(DomainError::NotImplemented(
                "the in-memory store lists in creation order only".into(),
            ));
        }
        let state = self.state();
        let matching: Vec<StoredResource> = state
            .rows
            .iter()
            .filter(|row| row.tenant == tenant && row.resource.kind == kind)
            .map(|row| with_relations(&state, row))
            .filter(|r| self.sees(query.rows.of(kind), r) && self.sees(query.filter.as_ref(), r))
            .collect();
        let total = matching.len() as u64;
        let skip = usize::try_from(query.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(query.count).unwrap_or(usize::MAX);
        Ok(Page {
            total,
            resources: matching.into_iter().skip(skip).take(take).collect(),
            sort_keys: Vec::new(),
            has_more: false,
        })
    }

    async fn replace(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        expected_version: i64,
        _rows: &VisibleRows,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>> {
        let mut state = self.state();
        Self::interfere(&mut state, tenant, write.id);
        check_unique(&state, tenant, write)?;
        check_members(&state, tenant, &write.members)?;
        let Some(row) = find_mut(&mut state, tenant, write.id) else {
            return Ok(None);
        };
        if row.resource.version != expected_version {
            return Ok(None);
        }
        row.resource.document = write.document.clone();
        row.resource.version += 1;
        row.resource.last_modified = write.at;
        if write.kind == ResourceKind::Group {
            row.members = write.members.clone();
        }
        let row = row.clone();
        state.outbox.push(event.clone());
        Ok(Some(with_relations(&state, &row)))
    }

    /// The row as stored: its relations are not filled in.
    async fn get_document(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>> {
        Ok(self.row(tenant, kind, id).map(|row| row.resource))
    }

    /// Document writes are conditional; membership edits apply whatever the version (they
    /// commute). Filtered member removals are not offered here.
    async fn patch(&self, tenant: TenantId, write: PatchWrite<'_>) -> DomainResult<WriteOutcome> {
        if !write.membership.remove_matching.is_empty() {
            return Err(DomainError::NotImplemented(
                "the in-memory store removes members by id only".into(),
            ));
        }
        let mut state = self.state();
        if write.document.is_some() {
            Self::interfere(&mut state, tenant, write.id);
        }
        if let Some(document) = write.document {
            check_unique(&state, tenant, document)?;
        }
        check_members(&state, tenant, &write.membership.add)?;
        let Some(row) = find_mut(&mut state, tenant, write.id) else {
            return Ok(WriteOutcome::Missing);
        };
        if let Some(document) = write.document {
            if row.resource.version != write.expected_version {
                return Ok(WriteOutcome::VersionMoved);
            }
            row.resource.document = document.document.clone();
        }
        let before = row.members.clone();
        let change = write.membership;
        if change.clear {
            row.members.clear();
        }
        row.members.retain(|id| !change.remove.contains(id));
        for id in &change.add {
            if !row.members.contains(id) {
                row.members.push(*id);
            }
        }
        if write.document.is_none() && row.members == before {
            return Ok(WriteOutcome::Written {
                version: row.resource.version,
            });
        }
        row.resource.version += 1;
        row.resource.last_modified = write.at;
        let version = row.resource.version;
        state.outbox.push(write.event.clone());
        Ok(WriteOutcome::Written { version })
    }

    async fn delete(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        event: &EventDraft,
    ) -> DomainResult<bool> {
        let mut state = self.state();
        let before = state.rows.len();
        state.rows.retain(|row| {
            !(row.tenant == tenant && row.resource.id == id && row.resource.kind == kind)
        });
        if state.rows.len() == before {
            return Ok(false);
        }
        for row in &mut state.rows {
            row.members.retain(|member| *member != id);
        }
        state.outbox.push(event.clone());
        Ok(true)
    }

    /// The in-memory store keeps no archive: it deletes for good.
    async fn restore(
        &self,
        _tenant: TenantId,
        _write: &ResourceWrite,
        _event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>> {
        Ok(None)
    }
}
