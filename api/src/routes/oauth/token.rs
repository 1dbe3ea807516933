//! `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4). The response carries a
//! JWT access token and must not be cached (§5.1).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::error::DomainError;
use scimgate_domain::oauth::error::OAuthError;
use serde_json::json;

use super::client_auth::client_credentials;
use super::error::OAuthFailure;
use super::form::FormParams;
use crate::extract::scim_caller::origin;
use crate::extract::state::state_of;

const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

#[utoipa::path(
    post, path = "/oauth/token", tag = "OAuth",
    request_body(content = crate::openapi::service_schemas::TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token (a JWT)", body = crate::openapi::service_schemas::TokenResponse,
            content_type = "application/json"),
        (status = "4XX", description = "RFC 6749 error: 400, or 401 for client authentication",
            body = crate::openapi::service_schemas::OAuthError, content_type = "application/json"),
        (status = "5XX", description = "RFC 6749 error", body = crate::openapi::service_schemas::OAuthError,
            content_type = "application/json")),
    security(("clientBasic" = []), ())
)]
pub async fn token(req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, OAuthFailure> {
    let state = state_of(&req).map_err(|_| {
        DomainError::unavailable(std::io::Error::other("application state missing"))
    })?;
    let form = read_form(&req, payload, state.max_body_bytes).await?;
    require_client_credentials_grant(&form)?;
    let credentials = client_credentials(&req, &form)?;
    let issuer = origin(&req, state.public_url.as_deref());
    let issued = state
        .token_issuer
        .client_credentials(&credentials, form.get("scope"), &issuer)
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(json!({
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": issued.scope,
        })))
}

fn require_client_credentials_grant(form: &FormParams) -> Result<(), OAuthError> {
    match form.get("grant_type") {
        Some("client_credentials") => Ok(()),
        Some(other) => Err(OAuthError::UnsupportedGrantType(format!(
            "grant_type '{other}' is not supported; use client_credentials"
        ))),
        None => Err(OAuthError::InvalidRequest("grant_type is missing".into())),
    }
}

/// The form body, within `limit` bytes and of the form media type.
async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<FormParams, OAuthError> {
    let media_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media_type.as_deref() != Some(FORM_MEDIA_TYPE) {
        return Err(OAuthError::InvalidRequest(format!(
            "the token request must be {FORM_MEDIA_TYPE}"
        )));
    }
    let body = payload
        .to_bytes_limited(limit)
        .await
        .map_err(|_| OAuthError::InvalidRequest(format!("the body exceeds {limit} bytes")))?
        .map_err(|_| OAuthError::InvalidRequest("the body could not be read".into()))?;
    FormParams::parse(&body)
}
