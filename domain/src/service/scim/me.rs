//! `/Me` (RFC 7644 §3.11): the caller's own User, found with its policy's `meFilter`. Every
//! operation runs as the same operation on `/Users/{id}` with the caller's Users rows narrowed
//! to that one User, so scopes, readable/writable attributes and the audit log apply as
//! usual, and a write that would unlink the User from its caller (changing the attribute the
//! mapping reads) is refused like any write leaving the rows. Answers carry the User's
//! permanent location, which RFC 7644 §3.11 wants in every `/Me` response.

use serde_json::Value;
use uuid::Uuid;

use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::query::list::ListQuery;
use crate::resource::render::location;
use crate::schema::kind::ResourceKind;
use crate::scope::Access;
use crate::service::scim::patch_resource::{PatchRequest, Patched};
use crate::service::scim::resources::{ResourceService, ResourceView, ViewParams};

const USER: ResourceKind = ResourceKind::User;

/// The User behind `/Me` and the context that confines a request to it.
struct Me {
    ctx: RequestContext,
    id: Option<Uuid>,
}

impl Me {
    fn id(&self) -> DomainResult<String> {
        self.id.map(|id| id.to_string()).ok_or_else(|| {
            DomainError::NotFound("no User is associated with the authenticated subject".into())
        })
    }
}

impl ResourceService {
    pub async fn me_get(
        &self,
        ctx: &RequestContext,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let me = self.me(ctx, Access::Read).await?;
        self.get(&me.ctx, USER, &me.id()?, shape).await
    }

    /// `POST /Me`: creates the caller's User. The new User must be the one the mapping finds
    /// (else 403), and only while the caller has none (else 409).
    pub async fn me_create(
        &self,
        ctx: &RequestContext,
        body: Value,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let me = self.me(ctx, Access::Write).await?;
        if me.id.is_some() {
            return Err(DomainError::Uniqueness(
                "a User is already associated with the authenticated subject".into(),
            ));
        }
        self.create(&me.ctx, USER, body, shape).await
    }

    pub async fn me_replace(
        &self,
        ctx: &RequestContext,
        body: Value,
        if_match: Option<&str>,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let me = self.me(ctx, Access::Write).await?;
        self.replace(&me.ctx, USER, &me.id()?, body, if_match, shape)
            .await
    }

    /// `PATCH /Me`; the second value is the User's location, for a 204 answer.
    pub async fn me_patch(
        &self,
        ctx: &RequestContext,
        body: &Value,
        if_match: Option<&str>,
        shape: &ViewParams,
        representation: bool,
    ) -> DomainResult<(Patched, String)> {
        let me = self.me(ctx, Access::Write).await?;
        let id = me.id()?;
        let patched = self
            .patch(
                &me.ctx,
                PatchRequest {
                    kind: USER,
                    id: &id,
                    body,
                    if_match,
                    view: shape,
                    representation,
                },
            )
            .await?;
        Ok((patched, location(&ctx.base_url, USER, &id)))
    }

    /// `DELETE /Me`; answers the deleted User's location.
    pub async fn me_delete(
        &self,
        ctx: &RequestContext,
        if_match: Option<&str>,
    ) -> DomainResult<String> {
        let me = self.me(ctx, Access::Write).await?;
        let id = me.id()?;
        self.delete(&me.ctx, USER, &id, if_match).await?;
        Ok(location(&ctx.base_url, USER, &id))
    }

    /// Finds the caller's User: 403 without the scope `access` needs, 501 when the caller's
    /// policy maps no User to it, 409 when the mapping is ambiguous (a policy whose
    /// `meFilter` does not name a unique attribute).
    async fn me(&self, ctx: &RequestContext, access: Access) -> DomainResult<Me> {
        ctx.principal.require(USER, access)?;
        let policy = ctx
            .principal
            .policy
            .as_ref()
            .and_then(|policy| policy.narrowed_to_me())
            .ok_or_else(|| {
                DomainError::NotImplemented(
                    "/Me is not available: the token's policy maps no User to its subject \
                     (policy option meFilter)"
                        .into(),
                )
            })?;
        let mut principal = ctx.principal.clone();
        principal.policy = Some(policy);
        let ctx = RequestContext {
            principal,
            base_url: ctx.base_url.clone(),
            request_id: ctx.request_id.clone(),
        };
        // The mapping is the tenant admin's filter: it may read attributes the caller
        // cannot, so it runs on the store directly, not as the caller's listing.
        let query = ListQuery {
            start_index: 1,
            count: 2,
            filter: self.authorize(&ctx, USER, access)?.row_filter,
            sort: None,
            with_relations: false,
            cursor_token: None,
            cursor: None,
            rows: crate::authz::VisibleRows::default(),
        };
        let page = self
            .store
            .list(ctx.principal.tenant_id, USER, &query)
            .await?;
        let id = match page.resources.as_slice() {
            [] => None,
            [one] => Some(one.id),
            _ => {
                return Err(DomainError::Conflict(
                    "the authenticated subject maps to more than one User".into(),
                ));
            }
        };
        Ok(Me { ctx, id })
    }
}
