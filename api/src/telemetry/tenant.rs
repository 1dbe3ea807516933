//! The tenant a request acts for, known once its token is verified: a field of the request's
//! span and the label of the per-tenant request count. Only verified tenants are recorded, so
//! the label is bounded by the number of tenants whatever slugs clients put in paths.

use actix_web::{HttpMessage, HttpRequest};
use tracing_actix_web::RootSpan;

/// The verified tenant's slug, kept in the request's extensions for the metrics middleware.
#[derive(Debug, Clone)]
pub struct RequestTenant(pub String);

pub fn record(req: &HttpRequest, slug: &str) {
    if let Some(span) = req.extensions().get::<RootSpan>() {
        span.record("tenant", slug);
    }
    req.extensions_mut().insert(RequestTenant(slug.to_owned()));
}
