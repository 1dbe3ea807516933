//! The authenticated caller of a SCIM endpoint and the base URL its answers point under.
//! On `/t/{tenant}/scim/v2` the token must belong to that tenant; on `/scim/v2` the token
//! names the tenant. A token of another tenant gets 401, never a hint about the tenant.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use scimgate_domain::context::RequestContext;
use scimgate_domain::error::DomainError;
use tracing_actix_web::RequestId;

use crate::error::ApiError;
use crate::extract::bearer::bearer_token;
use crate::extract::state::state_of;

pub struct ScimCaller(pub RequestContext);

impl FromRequest for ScimCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let token = bearer_token(&req)?;
            let issuer = origin(&req, state.public_url.as_deref());
            let path_tenant = req.match_info().get("tenant");
            let principal = state
                .authenticator
                .authenticate_at(token, &issuer, path_tenant)
                .await?;
            crate::telemetry::tenant::record(&req, &principal);
            state.rate_limits.admit(&principal).await?;
            let scim_base = match req.match_info().get("tenant") {
                Some(slug) if slug == principal.tenant_slug.as_str() => {
                    format!("/t/{slug}/scim/v2")
                }
                Some(_) => {
                    return Err(DomainError::Unauthenticated(
                        "invalid, revoked or expired token".into(),
                    )
                    .into());
                }
                None => "/scim/v2".to_owned(),
            };
            let base_url = format!("{}{scim_base}", origin(&req, state.public_url.as_deref()));
            Ok(ScimCaller(RequestContext {
                principal,
                base_url,
                request_id: request_id(&req),
            }))
        })
    }
}

/// The id tracing-actix-web gave the request (also on its log lines), for the audit log.
pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(ToString::to_string)
}

/// Scheme and host for absolute URLs: the configured public URL, else the request's own.
pub fn origin(req: &HttpRequest, public_url: Option<&str>) -> String {
    match public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}
