//! The conditional-request headers SCIM uses (RFC 7644 §3.14, RFC 9110 §13) and the `{id}` of
//! a single resource, as typed handler inputs.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

use crate::error::ApiError;

/// `If-Match`: the version a write must find, if the client names one.
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ready(Ok(IfMatch(value)))
    }
}

/// The `{id}` path segment. Read by name: a positional `Path<String>` would pick up
/// `{tenant}` on `/t/{tenant}/...`.
pub struct ResourceId(pub String);

impl FromRequest for ResourceId {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req.match_info().get("id").unwrap_or_default().to_owned();
        ready(Ok(ResourceId(id)))
    }
}
