//! The conditional-request headers SCIM uses (RFC 7644 §3.14, RFC 9110 §13) and the resource a
//! single-resource route names, as typed handler inputs.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use scimgate_domain::error::DomainError;
use scimgate_domain::schema::kind::ResourceKind;

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

/// The resource a single-resource route names: its type (the route's app data) and the `{id}`
/// path segment. The id is read by name: a positional `Path<String>` would pick up `{tenant}`
/// on `/t/{tenant}/...`.
pub struct ResourceRef {
    pub kind: ResourceKind,
    pub id: String,
}

impl FromRequest for ResourceRef {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let kind = req
            .app_data::<web::Data<ResourceKind>>()
            .map(|kind| ***kind);
        let id = req.match_info().get("id").unwrap_or_default().to_owned();
        ready(match kind {
            Some(kind) => Ok(ResourceRef { kind, id }),
            None => Err(DomainError::unavailable(std::io::Error::other(
                "route registered without its resource type",
            ))
            .into()),
        })
    }
}
