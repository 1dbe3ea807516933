//! What a scimgate access token (a JWT) says. The same struct is signed by the token endpoint
//! and read back by the bearer check, so the two cannot drift apart.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// `aud` of every access token scimgate issues: the tokens are for scimgate's SCIM API alone.
pub const AUDIENCE: &str = "scimgate";

/// Clock skew tolerated on `exp`: replicas' clocks agree closely, and a short token should
/// not live much longer than it says.
pub const LEEWAY_SECS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    /// The public URL of this deployment (or the origin the token was requested at).
    pub iss: String,
    /// The client id.
    pub sub: String,
    pub aud: String,
    /// The tenant's internal id: what the bearer check trusts.
    pub tid: Uuid,
    /// The tenant's slug, for readers of the token; informational only.
    pub tenant: String,
    /// Granted scopes, space-separated (RFC 6749 §3.3).
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    /// The client's fixed claims.
    #[serde(default)]
    pub claims: Map<String, Value>,
}

/// What a token must match besides its signature.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub audience: &'a str,
    pub leeway_secs: u64,
}
