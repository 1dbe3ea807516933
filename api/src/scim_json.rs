//! SCIM's media type on the way in and out: requests may be `application/scim+json` or
//! `application/json`; responses are always `application/scim+json`.

use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::nul_free::reject_nul;

pub const SCIM_CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";

/// A response with a SCIM JSON body.
pub fn scim_response(status: actix_web::http::StatusCode, body: &Value) -> HttpResponse {
    scim_json_response(status, body)
}

/// A response with any serialisable body as SCIM JSON. Serialising the types used here
/// (derived `Serialize`, JSON values) cannot fail; should one ever, the client gets an
/// empty object rather than a broken body.
pub fn scim_json_response<T: Serialize + ?Sized>(
    status: actix_web::http::StatusCode,
    body: &T,
) -> HttpResponse {
    let json = serde_json::to_string(body).unwrap_or_else(|_| "{}".into());
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, SCIM_CONTENT_TYPE))
        .body(json)
}

/// Reads a JSON object body within `limit` bytes, refusing other media types (415), bodies
/// over the limit (413), unparsable JSON (400 `invalidSyntax`) and strings holding U+0000
/// (400 `invalidValue`, see `nul_free`).
pub async fn read_json(req: &HttpRequest, payload: web::Payload, limit: usize) -> ApiResult<Value> {
    check_media_type(req.headers())?;
    let bytes = payload
        .to_bytes_limited(limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge(limit))?
        .map_err(|err| {
            ApiError::InvalidSyntax(format!("could not read the request body: {err}"))
        })?;
    if bytes.is_empty() {
        return Err(ApiError::InvalidSyntax("the request body is empty".into()));
    }
    let body = serde_json::from_slice(&bytes).map_err(|err| {
        ApiError::InvalidSyntax(format!("the request body is not valid JSON: {err}"))
    })?;
    reject_nul(&body)?;
    Ok(body)
}

fn check_media_type(headers: &HeaderMap) -> ApiResult<()> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        // Some IdP scripts omit it; the body still has to parse as JSON.
        return Ok(());
    };
    let essence = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/scim+json" || essence == "application/json" {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "content type '{essence}' is not supported; send application/scim+json or application/json"
        )))
    }
}
