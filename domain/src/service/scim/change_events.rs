//! Describing a write to the store as its change events (see `crate::event`): who wrote, what
//! the resource looks like afterwards, and what changed compared with before.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::context::RequestContext;
use crate::event::{Changes, EventDraft, Operation};
use crate::resource::stored::ResourceWrite;
use crate::schema::kind::ResourceKind;
use crate::service::scim::resources::ResourceService;

impl ResourceService {
    /// The draft of a create, replace or patch writing `write` over `before` (none for a
    /// create).
    pub(super) fn write_draft(
        &self,
        ctx: &RequestContext,
        operation: Operation,
        write: &ResourceWrite,
        before: Option<&Map<String, Value>>,
    ) -> EventDraft {
        let password_set = write.password_hash.is_some();
        let changes = match before {
            Some(before) => Changes::between(before, &write.document, password_set),
            None => Changes::created(&write.document, password_set),
        };
        let mut draft = self.draft(
            ctx,
            operation,
            write.kind,
            write.id,
            Some(&write.document),
            changes,
        );
        draft.at = write.at;
        draft
    }

    /// The draft of a write that leaves `document` as it is (a membership-only PATCH) or
    /// removes it (a DELETE, with `document` its last state).
    pub(super) fn unchanged_draft(
        &self,
        ctx: &RequestContext,
        operation: Operation,
        kind: ResourceKind,
        id: Uuid,
        document: &Map<String, Value>,
    ) -> EventDraft {
        let resource = (operation != Operation::Delete).then_some(document);
        let mut draft = self.draft(ctx, operation, kind, id, resource, Changes::default());
        draft.external_id = external_id(document);
        draft
    }

    fn draft(
        &self,
        ctx: &RequestContext,
        operation: Operation,
        kind: ResourceKind,
        id: Uuid,
        resource: Option<&Map<String, Value>>,
        changes: Changes,
    ) -> EventDraft {
        EventDraft {
            txn: Uuid::now_v7(),
            operation,
            kind,
            resource_id: id,
            external_id: resource.and_then(external_id),
            actor: ctx.principal.subject.clone(),
            request_id: ctx.request_id.clone(),
            at: self.clock.now(),
            resource: resource.cloned(),
            changes,
            audit: Some(self.success_entry(ctx, kind, operation, id)),
        }
    }
}

fn external_id(document: &Map<String, Value>) -> Option<String> {
    document
        .get("externalId")
        .and_then(Value::as_str)
        .map(str::to_owned)
}
