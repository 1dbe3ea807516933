//! The SCIM write use cases as callers see them: each runs its checks and store write and
//! leaves one audit entry with its outcome, whether it came over HTTP or inside a Bulk
//! request. A success's entry travels with the write (`EventDraft::audit`) into its
//! transaction; a failure's is recorded here afterwards. Reads (`GET`, `.search`) are not
//! recorded.

use serde_json::Value;
use uuid::Uuid;

use crate::audit::AuditEntry;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::event::Operation;
use crate::schema::kind::ResourceKind;
use crate::service::audit::AuditEvent;
use crate::service::scim::patch_resource::{PatchRequest, Patched};
use crate::service::scim::resources::{ResourceService, ResourceView, ViewParams};

/// The verb part of a write's audit action (`user.create`, `group.patch`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteVerb {
    Create,
    Replace,
    Patch,
    Delete,
}

impl WriteVerb {
    fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Replace => "replace",
            Self::Patch => "patch",
            Self::Delete => "delete",
        }
    }

    /// The status a success answers.
    fn success(self) -> u16 {
        match self {
            Self::Create => 201,
            Self::Replace | Self::Patch => 200,
            Self::Delete => 204,
        }
    }

    /// The write a store operation performs (activation changes are PATCHes).
    fn of(operation: Operation) -> Self {
        match operation {
            Operation::Create => Self::Create,
            Operation::Put => Self::Replace,
            Operation::Patch | Operation::Activate | Operation::Deactivate => Self::Patch,
            // A purge is no SCIM write; it ends what a delete began.
            Operation::Delete | Operation::Purge => Self::Delete,
        }
    }
}

impl ResourceService {
    pub async fn create(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        body: Value,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let result = self.try_create(ctx, kind, body, shape).await;
        self.audited_create_failure(ctx, kind, result).await
    }

    /// Records a create that failed after its checks (a taken userName found at insert).
    pub(super) async fn audited_create_failure<T>(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        result: DomainResult<T>,
    ) -> DomainResult<T> {
        self.count_refusal(&result);
        let event = write_event(ctx, kind, WriteVerb::Create, None);
        self.audit.audited_failure(event, result).await
    }

    pub async fn replace(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: &str,
        body: Value,
        if_match: Option<&str>,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let result = self.try_replace(ctx, kind, id, body, if_match, shape).await;
        self.record_write(ctx, kind, WriteVerb::Replace, id, result)
            .await
    }

    pub async fn patch(
        &self,
        ctx: &RequestContext,
        request: PatchRequest<'_>,
    ) -> DomainResult<Patched> {
        let result = self.try_patch(ctx, &request).await;
        self.record_write(ctx, request.kind, WriteVerb::Patch, request.id, result)
            .await
    }

    pub async fn delete(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: &str,
        if_match: Option<&str>,
    ) -> DomainResult<()> {
        let result = self.try_delete(ctx, kind, id, if_match).await;
        self.record_write(ctx, kind, WriteVerb::Delete, id, result)
            .await
    }

    /// Records a bulk operation that failed before it could run (malformed, unresolvable
    /// or circular `bulkId` reference); `intent` is what it asked for, when that is known.
    pub(super) async fn record_refused(
        &self,
        ctx: &RequestContext,
        intent: Option<(ResourceKind, WriteVerb)>,
        id: Option<&str>,
        err: &DomainError,
    ) {
        let event = match intent {
            Some((kind, verb)) => write_event(ctx, kind, verb, id),
            None => AuditEvent {
                tenant: ctx.principal.tenant_id,
                actor: &ctx.principal.subject,
                request_id: ctx.request_id.as_deref(),
                action: "bulk.operation".into(),
                target_type: "Bulk",
                target_id: None,
            },
        };
        let (status, scim_type) = err.scim_status();
        self.audit.record_status(event, status, scim_type).await;
    }

    async fn record_write<T>(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        verb: WriteVerb,
        id: &str,
        result: DomainResult<T>,
    ) -> DomainResult<T> {
        self.count_refusal(&result);
        let event = write_event(ctx, kind, verb, Some(id));
        self.audit.audited_failure(event, result).await
    }

    /// The audit entry of a successful `operation` on resource `id`, which the store keeps in
    /// the write's transaction.
    pub(super) fn success_entry(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        operation: Operation,
        id: Uuid,
    ) -> AuditEntry {
        let verb = WriteVerb::of(operation);
        let event = write_event(ctx, kind, verb, None).target(id);
        self.audit.entry(event, verb.success(), None)
    }

    /// Records the success of a write that needed no store write (a PATCH changing nothing).
    pub(super) async fn record_unwritten(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        verb: WriteVerb,
        id: Uuid,
    ) {
        let event = write_event(ctx, kind, verb, None).target(id);
        self.audit.record_status(event, verb.success(), None).await;
    }
}

fn write_event<'a>(
    ctx: &'a RequestContext,
    kind: ResourceKind,
    verb: WriteVerb,
    id: Option<&str>,
) -> AuditEvent<'a> {
    AuditEvent {
        tenant: ctx.principal.tenant_id,
        actor: &ctx.principal.subject,
        request_id: ctx.request_id.as_deref(),
        action: format!("{}.{}", kind.name().to_ascii_lowercase(), verb.name()),
        target_type: kind.name(),
        // Only ids scimgate made: a path segment that is not one may be anything a client
        // typed, a userName included.
        target_id: id
            .and_then(|id| Uuid::try_parse(id).ok())
            .map(|id| id.to_string()),
    }
}
