//! The one admin answer that shows a secret (a new token or client secret), once.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::Value;

use crate::scim_json::scim_response;

/// A 201 with `body` and, under `field`, the secret this response alone shows.
pub(super) fn created_with_secret(mut body: Value, field: &str, secret: String) -> HttpResponse {
    if let Some(obj) = body.as_object_mut() {
        obj.insert(field.into(), Value::String(secret));
    }
    scim_response(StatusCode::CREATED, &body)
}
