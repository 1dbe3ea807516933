//! PATCH (RFC 7644 §3.5.2): all operations or none, on the latest version. Document changes
//! are optimistic (re-read and retry when another writer got in first); membership changes
//! are row edits that commute, so they never need a retry.

use serde_json::Value;

use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::event::Operation;
use crate::patch::{apply_patch, parse_patch};
use crate::ports::{PatchWrite, WriteOutcome};
use crate::resource::canonical::WriteDocument;
use crate::resource::render::render;
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;
use crate::scope::Access;
use crate::service::scim::audited_writes::WriteVerb;
use crate::service::scim::resources::{
    ResourceService, ResourceView, ViewParams, check_if_match, not_found,
};
use crate::service::scim::result_rows::{Prospect, rows_name_relations, same_members};

/// Most operations one PATCH request may carry.
pub const MAX_PATCH_OPERATIONS: usize = 1000;

/// How often a PATCH re-reads after losing a race on the document before giving up.
const PATCH_ATTEMPTS: usize = 8;

/// A PATCH as the client sent it (RFC 7644 §3.5.2).
pub struct PatchRequest<'a> {
    pub kind: ResourceKind,
    pub id: &'a str,
    /// The PatchOp body.
    pub body: &'a Value,
    pub if_match: Option<&'a str>,
    pub view: &'a ViewParams,
    /// Answer with the resource (200) rather than only its new version (204).
    pub representation: bool,
}

/// What a successful PATCH leaves for the response.
pub enum Patched {
    /// The resource as the client asked to see it.
    Representation(ResourceView),
    /// Only the new version, for a 204 with an `ETag`.
    Version(i64),
}

impl ResourceService {
    #[tracing::instrument(skip_all, fields(tenant = %ctx.principal.tenant_slug, kind = request.kind.name(), id = request.id))]
    pub(super) async fn try_patch(
        &self,
        ctx: &RequestContext,
        request: &PatchRequest<'_>,
    ) -> DomainResult<Patched> {
        let PatchRequest {
            kind,
            id,
            body,
            if_match,
            view: shape,
            representation,
        } = *request;
        let grant = self.authorize(ctx, kind, Access::Write)?;
        let projection = self.projection(kind, shape)?;
        let operations = parse_patch(body, MAX_PATCH_OPERATIONS)?;
        let uuid = uuid::Uuid::parse_str(id).map_err(|_| not_found(kind, id))?;
        let tenant = ctx.principal.tenant_id;
        // A row filter naming the relations judges the result with all of them (`result_rows`).
        let relations = rows_name_relations(&grant, kind);
        let mut version = None;
        for _ in 0..PATCH_ATTEMPTS {
            let existing = if relations {
                self.store.get(tenant, kind, uuid).await?
            } else {
                self.store.get_document(tenant, kind, uuid).await?
            };
            let existing = existing
                .filter(|e| grant.sees(&render(e, &ctx.base_url), &self.registry, kind))
                .ok_or_else(|| not_found(kind, id))?;
            check_if_match(if_match, existing.version)?;
            let outcome = apply_patch(&self.registry, kind, &existing.document, &operations)?;
            let document_changed =
                outcome.document != existing.document || outcome.password.is_some();
            if document_changed {
                grant.check_write(
                    &existing.document,
                    &outcome.document,
                    outcome.password.is_some(),
                    &self.registry,
                    kind,
                )?;
            }
            if !outcome.membership.is_empty() {
                grant.may_write_core(Relation::Members.attribute(), &self.registry, kind)?;
                self.check_new_members(ctx, &outcome.membership.add, &[])
                    .await?;
                // A member named for removal must be one the caller may see, member or not,
                // so the answer tells nothing of a hidden resource's memberships.
                self.check_new_members(ctx, &outcome.membership.remove, &[])
                    .await?;
            }
            let members = if relations && !outcome.membership.is_empty() {
                self.members_after_patch(ctx, &grant, &existing, &outcome.membership)
                    .await?
            } else {
                existing.members.clone()
            };
            // Membership edits are not version-checked; when the rows depend on the members,
            // the document is written too, so a concurrent member change makes this one retry
            // and the rows are checked against the membership the write really leaves.
            let members_changed = relations && !same_members(&members, &existing.members);
            if document_changed || members_changed {
                let prospect = Prospect::new(
                    kind,
                    uuid,
                    &outcome.document,
                    members,
                    existing.groups.clone(),
                );
                self.check_result_rows(&grant, prospect, &ctx.base_url)?;
            }
            let membership_noop = outcome.membership.is_empty() || relations && !members_changed;
            if !document_changed && membership_noop {
                // No store write carries the entry of this success.
                self.record_unwritten(ctx, kind, WriteVerb::Patch, uuid)
                    .await;
                version = Some(existing.version);
                break;
            }
            let write = if document_changed || members_changed {
                let input = WriteDocument {
                    document: outcome.document,
                    password: outcome.password,
                };
                let write = self
                    .prepare_write(
                        ctx.principal.tenant_id,
                        kind,
                        existing.id,
                        input,
                        Some(&existing.document),
                    )
                    .await?;
                self.check_new_references(ctx, &write.references).await?;
                Some(write)
            } else {
                None
            };
            let now = self.clock.now();
            let event = match &write {
                Some(write) => {
                    self.write_draft(ctx, Operation::Patch, write, Some(&existing.document))
                }
                None => {
                    let mut draft =
                        self.unchanged_draft(ctx, Operation::Patch, kind, uuid, &existing.document);
                    draft.at = now;
                    draft
                }
            };
            match self
                .store
                .patch(
                    tenant,
                    PatchWrite {
                        kind,
                        id: uuid,
                        document: write.as_ref(),
                        expected_version: existing.version,
                        membership: &outcome.membership,
                        rows: &grant.rows,
                        at: now,
                        event: &event,
                    },
                )
                .await?
            {
                WriteOutcome::Written { version: new } => {
                    version = Some(new);
                    break;
                }
                WriteOutcome::VersionMoved => continue,
                WriteOutcome::Missing => return Err(not_found(kind, id)),
            }
        }
        let version = version.ok_or_else(|| {
            DomainError::Conflict("the resource is being changed concurrently; retry".into())
        })?;
        if !representation {
            return Ok(Patched::Version(version));
        }
        let stored = self
            .read_back(ctx, kind, uuid, &grant)
            .await?
            .ok_or_else(|| not_found(kind, id))?;
        Ok(Patched::Representation(self.view(
            &stored,
            &ctx.base_url,
            &projection,
            &grant,
        )))
    }
}
