//! Restoring a soft-deleted resource (admin API, CLI): its archived document written back,
//! reported as a create, through the same store wrapper as every SCIM write (so cached reads
//! go stale). Its audit entry travels in the write's transaction like a SCIM write's.

use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::event::{Changes, EventDraft, Operation};
use crate::guard_rails::is_active;
use crate::lifecycle::ArchivedResource;
use crate::resource::searchable::searchable_values;
use crate::resource::stored::{IndexedValues, ResourceWrite, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::service::audit::AuditEvent;
use crate::tenant::TenantId;

use super::resources::ResourceService;

/// Who restores what.
pub struct RestoreRequest<'a> {
    pub tenant: TenantId,
    /// `operator`, or the tenant admin's token / client id.
    pub actor: &'a str,
    pub request_id: Option<&'a str>,
    pub archived: &'a ArchivedResource,
}

impl RestoreRequest<'_> {
    /// The audit event of this restore (`user.restore`, `group.restore`).
    pub fn audit_event(&self) -> AuditEvent<'_> {
        let kind = self.archived.kind;
        AuditEvent {
            tenant: self.tenant,
            actor: self.actor,
            request_id: self.request_id,
            action: format!("{}.restore", kind.name().to_ascii_lowercase()),
            target_type: kind.name(),
            target_id: Some(self.archived.id.to_string()),
        }
    }
}

impl ResourceService {
    /// Puts the archived resource back; 404 once purged or already restored, 409
    /// `uniqueness` when its userName (or a group's displayName) was taken meanwhile.
    pub async fn restore(&self, request: &RestoreRequest<'_>) -> DomainResult<StoredResource> {
        let archived = request.archived;
        let gone = || {
            DomainError::NotFound(format!(
                "{} '{}' is not in the archive (never soft-deleted, restored or purged)",
                archived.kind.name(),
                archived.id
            ))
        };
        let document = archived.document.clone().ok_or_else(gone)?;
        let kind = archived.kind;
        // A restored active user is an active user again: the seat limit must admit it.
        let takes_seat = kind == ResourceKind::User && is_active(&document);
        let write = ResourceWrite {
            id: archived.id,
            kind,
            values: searchable_values(&self.registry, kind, &document),
            indexed: IndexedValues::of(&document),
            document,
            // The store carries the archived hash back itself; it never leaves the store.
            password_hash: None,
            // The store restores the memberships whose other side still exists.
            members: Vec::new(),
            // References that were valid when written are not checked again (as on any write
            // that leaves them unchanged), so a departed manager does not block a restore.
            references: Vec::new(),
            at: self.clock.now(),
            takes_seat,
        };
        let event = self.restore_draft(request, &write);
        self.store
            .restore(request.tenant, &write, &event)
            .await?
            .ok_or_else(gone)
    }

    fn restore_draft(&self, request: &RestoreRequest<'_>, write: &ResourceWrite) -> EventDraft {
        let entry = self.audit.entry(request.audit_event(), 201, None);
        EventDraft {
            txn: Uuid::now_v7(),
            operation: Operation::Create,
            kind: write.kind,
            resource_id: write.id,
            external_id: write.indexed.external_id.clone(),
            actor: request.actor.to_owned(),
            request_id: request.request_id.map(str::to_owned),
            at: write.at,
            resource: Some(write.document.clone()),
            changes: Changes::created(&write.document, false),
            audit: Some(entry),
        }
    }
}
