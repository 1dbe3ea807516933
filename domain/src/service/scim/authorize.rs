//! The resource service's side of authorization: the principal's [`Grant`] per resource type,
//! and the checks that need the store (members added to a group, resources a User names).

use uuid::Uuid;

use crate::authz::Grant;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::resource::references::Reference;
use crate::schema::kind::ResourceKind;
use crate::scope::Access;
use crate::service::scim::resources::ResourceService;

impl ResourceService {
    /// What the caller may do with `kind`: 403 unless its scopes allow `access`, else its
    /// [`Grant`] (rows, readable and writable attributes). The one way a use case gets a
    /// grant, so no entry point can check the policy and forget the scope.
    pub(super) fn authorize(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        access: Access,
    ) -> DomainResult<Grant> {
        ctx.principal.require(kind, access)?;
        Grant::of(&ctx.principal, kind, &self.registry)
    }

    /// The caller's rows of `kind` whatever its scopes: which resources it may name as
    /// members (a writer of Groups may lack any scope on Users).
    fn visibility(&self, ctx: &RequestContext, kind: ResourceKind) -> DomainResult<Grant> {
        Grant::of(&ctx.principal, kind, &self.registry)
    }

    /// Every member added to a group must be a resource the principal can see: a user (or
    /// group) outside its rows is refused with 403.
    pub(super) async fn check_new_members(
        &self,
        ctx: &RequestContext,
        members: &[Uuid],
        before: &[Uuid],
    ) -> DomainResult<()> {
        if ctx.principal.policy.is_none() {
            return Ok(());
        }
        let tenant = ctx.principal.tenant_id;
        for id in members.iter().filter(|id| !before.contains(id)) {
            for kind in ResourceKind::ALL {
                let grant = self.visibility(ctx, kind)?;
                if grant.row_filter.is_none() {
                    continue;
                }
                if let Some(stored) = self.store.get(tenant, kind, *id).await? {
                    let rendered = crate::resource::render::render(&stored, &ctx.base_url);
                    if !grant.sees(&rendered, &self.registry, kind) {
                        // Worded as the store words a member that does not exist: the
                        // answer must not tell a hidden resource from a missing one.
                        return Err(DomainError::InvalidValue(format!(
                            "member '{id}' is not a resource of this tenant"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Every resource a write newly references (a User's `manager`) must be one the caller
    /// may see. A hidden one is refused exactly as the store refuses one that does not exist
    /// (400 `invalidValue`, same detail), so the answer tells nothing of whether it does.
    pub(super) async fn check_new_references(
        &self,
        ctx: &RequestContext,
        references: &[Reference],
    ) -> DomainResult<()> {
        if ctx.principal.policy.is_none() {
            return Ok(());
        }
        let tenant = ctx.principal.tenant_id;
        for reference in references {
            let grant = self.visibility(ctx, reference.kind)?;
            if grant.row_filter.is_none() {
                continue;
            }
            if let Some(stored) = self.store.get(tenant, reference.kind, reference.id).await? {
                let rendered = crate::resource::render::render(&stored, &ctx.base_url);
                if !grant.sees(&rendered, &self.registry, reference.kind) {
                    return Err(reference.dangling());
                }
            }
        }
        Ok(())
    }
}
