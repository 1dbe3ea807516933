//! The caller of an admin endpoint. Under `/admin/v1` it is the operator (the
//! `SCIMGATE_ADMIN_KEY` bearer); under `/t/{tenant}/admin/v1` it is a bearer token of that
//! tenant holding `scim:admin`, authenticated exactly like a SCIM caller (a token of another
//! tenant: 401; a token without `scim:admin`: 403 `insufficient_scope`).

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use scimgate_domain::error::DomainError;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;

use crate::error::{ApiError, ApiResult};
use crate::extract::bearer::bearer_token;
use crate::extract::scim_caller::{ScimCaller, request_id};
use crate::extract::state::state_of;
use crate::state::SharedState;

pub struct AdminCaller {
    pub ctx: AdminContext,
    pub state: SharedState,
}

impl AdminCaller {
    /// The tenant the request manages: the tenant admin's own, or the operator's `{slug}`.
    pub fn tenant(&self, req: &HttpRequest) -> ApiResult<TenantSlug> {
        match self.ctx.own_tenant() {
            Some(slug) => Ok(slug.clone()),
            None => {
                let slug = req.match_info().get("slug").unwrap_or_default();
                Ok(TenantSlug::parse(slug)?)
            }
        }
    }
}

impl FromRequest for AdminCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let ctx = if req.match_info().get("tenant").is_some() {
                let ScimCaller(scim) = ScimCaller::extract(&req).await?;
                AdminContext::tenant_admin(scim.principal, scim.request_id)?
            } else {
                check_operator_key(&req, &state)?;
                AdminContext::operator(request_id(&req))
            };
            Ok(Self { ctx, state })
        })
    }
}

fn check_operator_key(req: &HttpRequest, state: &SharedState) -> ApiResult<()> {
    let key = state.admin_key.as_ref().ok_or_else(|| {
        DomainError::Unauthenticated(
            "the admin API is disabled: set SCIMGATE_ADMIN_KEY to enable it".into(),
        )
    })?;
    if !key.matches(bearer_token(req)?) {
        return Err(DomainError::Unauthenticated("wrong operator key".into()).into());
    }
    Ok(())
}
