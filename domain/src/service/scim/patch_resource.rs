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
use crate::scope::Access;
use crate::service::scim::resources::{
    ResourceService, ResourceView, ViewParams, check_if_match, not_found,
};

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
    pub(super) async fn patch_unaudited(
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
        let mut version = None;
        for _ in 0..PATCH_ATTEMPTS {
            let existing = self
                .store
                .get_document(tenant, kind, uuid)
                .await?
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
                self.check_result_rows(&grant, kind, uuid, &outcome.document)?;
            }
            if !outcome.membership.is_empty() {
                grant.may_write_core("members", &self.registry, kind)?;
                self.check_new_members(ctx, &outcome.membership.add, &[])
                    .await?;
                // A member named for removal must be one the caller may see, member or not,
                // so the answer tells nothing of a hidden resource's memberships.
                self.check_new_members(ctx, &outcome.membership.remove, &[])
                    .await?;
            }
            if !document_changed && outcome.membership.is_empty() {
                version = Some(existing.version);
                break;
            }
            let write = if document_changed {
                let input = WriteDocument {
                    document: outcome.document,
                    password: outcome.password,
                };
                Some(
                    self.prepare_write(kind, existing.id, input, Some(&existing.document))
                        .await?,
                )
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
