//! The tenant a request acts for, known once its token is verified: a field of the request's
//! span, the label of the per-tenant request count and the owner of the request's entry in
//! the console's request log. Only verified tenants are recorded, so the label is bounded by
//! the number of tenants whatever slugs clients put in paths.

use actix_web::{HttpMessage, HttpRequest};
use scimgate_domain::authz::principal::Principal;
use scimgate_domain::tenant::TenantId;
use tracing_actix_web::RootSpan;

/// The verified caller, kept in the request's extensions for the middlewares after it.
#[derive(Debug, Clone)]
pub struct RequestTenant {
    pub slug: String,
    pub tenant_id: TenantId,
    /// The token id or OAuth client id (never a secret).
    pub caller: String,
}

pub fn record(req: &HttpRequest, principal: &Principal) {
    let slug = principal.tenant_slug.as_str();
    if let Some(span) = req.extensions().get::<RootSpan>() {
        span.record("tenant", slug);
    }
    req.extensions_mut().insert(RequestTenant {
        slug: slug.to_owned(),
        tenant_id: principal.tenant_id,
        caller: principal.subject.clone(),
    });
}
