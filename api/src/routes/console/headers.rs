//! Response headers of every console response: a Content-Security-Policy that allows only
//! first-party styles and scripts (no `unsafe-inline`, no third party), framing limited to
//! `SCIMGATE_CONSOLE_FRAME_ANCESTORS`, no MIME sniffing, no referrer (a setup URL must never
//! leak through one), and no caching unless the handler allows it (pages show tokens).

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderName, HeaderValue, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS,
};
use actix_web::middleware::Next;
use actix_web::web;

use crate::state::AppState;

/// The policy with the configured `frame-ancestors` sources.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
         form-action 'self'; base-uri 'none'; frame-ancestors {frame_ancestors}"
    )
}

pub async fn secure(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let ancestors = req.app_data::<web::Data<AppState>>().map_or_else(
        || "'none'".to_owned(),
        |s| s.console_frame_ancestors.clone(),
    );
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    let csp = HeaderValue::from_str(&content_security_policy(&ancestors))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    headers.insert(CONTENT_SECURITY_POLICY, csp);
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}
