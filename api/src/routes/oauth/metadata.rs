//! Discovery of the authorization server: RFC 8414 metadata and the JWKS (RFC 7517) holding
//! every public key whose tokens are still accepted, so resource servers can verify too.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use scimgate_domain::scope::Scope;
use serde_json::json;

use super::{JWKS_PATH, TOKEN_PATH};
use crate::error::ApiResult;
use crate::extract::scim_caller::origin;
use crate::extract::state::State;

/// How long verifiers may cache the key set: short, since a rotation adds a key.
const JWKS_MAX_AGE: &str = "public, max-age=60";

#[utoipa::path(
    get, path = "/.well-known/jwks.json", tag = "OAuth",
    responses((status = 200, description = "The key set", body = crate::openapi::service_schemas::JwkSet,
        content_type = "application/jwk-set+json")),
    security(())
)]
pub async fn jwks(state: State) -> ApiResult<HttpResponse> {
    let keys = state.keys.published().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, JWKS_MAX_AGE))
        .content_type("application/jwk-set+json")
        .body(json!({ "keys": keys }).to_string()))
}

#[utoipa::path(
    get, path = "/.well-known/oauth-authorization-server", tag = "OAuth",
    responses((status = 200, description = "RFC 8414 metadata", body = crate::openapi::service_schemas::AuthorizationServerMetadata,
        content_type = "application/json")),
    security(())
)]
pub async fn authorization_server(req: HttpRequest, state: State) -> ApiResult<HttpResponse> {
    let issuer = origin(&req, state.public_url.as_deref());
    let scopes: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    Ok(HttpResponse::Ok().json(json!({
        "issuer": issuer,
        "token_endpoint": format!("{issuer}{TOKEN_PATH}"),
        "jwks_uri": format!("{issuer}{JWKS_PATH}"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": scopes,
        // No authorization endpoint: no response types (RFC 8414 §2 still asks for the field).
        "response_types_supported": [],
    })))
}
