//! A create in two halves: everything decided before the store is asked (scopes, validation,
//! policy, the write and its events), then the insert. `POST` runs both at once; Bulk
//! prepares a run of independent creates and inserts them as one batch, so a thousand
//! creates pay a few statements and one commit instead of a thousand of each.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::authz::Grant;
use crate::context::RequestContext;
use crate::error::DomainResult;
use crate::event::{EventDraft, Operation};
use crate::ports::NewResource;
use crate::resource::canonical::canonicalize;
use crate::resource::projection::Projection;
use crate::resource::stored::{ResourceWrite, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::scope::Access;
use crate::service::scim::result_rows::Prospect;

use super::resources::{ResourceService, ResourceView, ViewParams};

/// A create that passed every check and awaits its insert.
pub struct PreparedCreate {
    pub(super) write: ResourceWrite,
    pub(super) event: EventDraft,
    projection: Projection,
    grant: Grant,
}

impl PreparedCreate {
    /// Whether it can join a batch: a resource naming others (group members, a manager)
    /// needs them checked inside its transaction, one write at a time.
    pub fn batchable(&self) -> bool {
        self.write.members.is_empty() && self.write.references.is_empty()
    }

    pub fn kind(&self) -> ResourceKind {
        self.write.kind
    }
}

impl ResourceService {
    pub(super) async fn prepare_create(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        body: Value,
        shape: &ViewParams,
    ) -> DomainResult<PreparedCreate> {
        let grant = self.authorize(ctx, kind, Access::Write)?;
        let projection = self.projection(kind, shape)?;
        let input = canonicalize(&self.registry, kind, body)?;
        grant.check_write(
            &Map::new(),
            &input.document,
            input.password.is_some(),
            &self.registry,
            kind,
        )?;
        let id = Uuid::now_v7();
        let members = self
            .new_members(ctx, &grant, kind, id, &input.document)
            .await?;
        let prospect = Prospect::new(kind, id, &input.document, members, Vec::new());
        self.check_result_rows(&grant, prospect, &ctx.base_url)?;
        let write = self
            .prepare_write(ctx.principal.tenant_id, kind, id, input, None)
            .await?;
        self.check_new_members(ctx, &write.members, &[]).await?;
        self.check_new_references(ctx, &write.references).await?;
        let event = self.write_draft(ctx, Operation::Create, &write, None);
        Ok(PreparedCreate {
            write,
            event,
            projection,
            grant,
        })
    }

    /// What the caller sees of what `prepared` created.
    pub(super) fn created_view(
        &self,
        ctx: &RequestContext,
        prepared: &PreparedCreate,
        stored: &StoredResource,
    ) -> ResourceView {
        self.view(stored, &ctx.base_url, &prepared.projection, &prepared.grant)
    }

    /// Inserts one prepared create on its own.
    pub(super) async fn insert_one(
        &self,
        ctx: &RequestContext,
        prepared: &PreparedCreate,
    ) -> DomainResult<ResourceView> {
        let stored = self
            .store
            .insert(ctx.principal.tenant_id, &prepared.write, &prepared.event)
            .await?;
        Ok(self.created_view(ctx, prepared, &stored))
    }

    /// Inserts batchable creates together, in order. Each result is that create's, audited
    /// as a lone create's would be; `Err` when the batch as a whole could not be written, in
    /// which case none of it was.
    pub(super) async fn insert_prepared(
        &self,
        ctx: &RequestContext,
        prepared: &[PreparedCreate],
    ) -> DomainResult<Vec<DomainResult<ResourceView>>> {
        let writes: Vec<NewResource<'_>> = prepared
            .iter()
            .map(|p| NewResource {
                write: &p.write,
                event: &p.event,
            })
            .collect();
        let stored = self
            .store
            .insert_batch(ctx.principal.tenant_id, &writes)
            .await?;
        let mut views = Vec::with_capacity(prepared.len());
        for (prepared, stored) in prepared.iter().zip(stored) {
            let result = stored.map(|stored| self.created_view(ctx, prepared, &stored));
            views.push(
                self.audited_create_failure(ctx, prepared.kind(), result)
                    .await,
            );
        }
        Ok(views)
    }
}
