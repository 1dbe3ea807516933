//! Schemas of the OAuth 2.0 token endpoint (RFC 6749) and of the readiness probe.

use serde_json::Value;
use utoipa::ToSchema;

/// A token request (client credentials grant, RFC 6749 §4.4). The client authenticates
/// with HTTP Basic or with `client_id` and `client_secret` here, not both.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TokenRequest {
    /// `client_credentials`.
    grant_type: String,
    /// Space-separated scopes; the client's own when absent.
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// An issued access token (RFC 6749 §5.1).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TokenResponse {
    access_token: String,
    /// `Bearer`.
    token_type: String,
    expires_in: u64,
    scope: String,
}

/// An error of the token endpoint (RFC 6749 §5.2).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_scope`, `unsupported_grant_type`, ...
    error: String,
    error_description: Option<String>,
}

/// The authorization server's metadata (RFC 8414).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AuthorizationServerMetadata {
    issuer: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// The public keys of tokens scimgate issues (RFC 7517).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JwkSet {
    keys: Vec<Value>,
}

/// Every dependency answered.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Readiness {
    /// `ready`.
    status: String,
    /// Each check's outcome by name.
    checks: Value,
}
