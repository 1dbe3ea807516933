//! Schemas of the admin API's answers, which its handlers build as JSON values: tenants,
//! tokens, OAuth clients, trusted authorization servers and audit pages. Request bodies are
//! the handlers' own input types.

use serde_json::Value;
use utoipa::ToSchema;

/// A tenant.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Tenant {
    id: String,
    slug: String,
    name: Option<String>,
    created: String,
    /// Where the tenant's IdP sends SCIM requests.
    #[schema(rename = "scimBaseUrl")]
    scim_base_url: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TenantList {
    tenants: Vec<Tenant>,
}

/// An opaque bearer token. `token` (the secret) is in the creating response only.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Token {
    id: String,
    name: String,
    scopes: Vec<String>,
    claims: Value,
    policy: Option<Value>,
    created: String,
    #[schema(rename = "expiresAt")]
    expires_at: Option<String>,
    #[schema(rename = "revokedAt")]
    revoked_at: Option<String>,
    token: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TokenList {
    tokens: Vec<Token>,
}

/// An OAuth client. `clientSecret` is in the creating response only.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Client {
    #[schema(rename = "clientId")]
    client_id: String,
    name: String,
    scopes: Vec<String>,
    claims: Value,
    policy: Option<Value>,
    created: String,
    #[schema(rename = "revokedAt")]
    revoked_at: Option<String>,
    #[schema(rename = "clientSecret")]
    client_secret: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ClientList {
    clients: Vec<Client>,
}

/// A trusted authorization server: verified by its JWKS (`jwksUrl`) or by RFC 7662
/// introspection (`introspectionUrl`, `clientId`; the secret is never shown).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TrustedIssuer {
    id: String,
    issuer: String,
    audience: String,
    #[schema(rename = "scopeClaim")]
    scope_claim: Option<String>,
    #[schema(rename = "allowedScopes")]
    allowed_scopes: Vec<String>,
    #[schema(rename = "copyClaims")]
    copy_claims: Vec<String>,
    policy: Option<Value>,
    created: String,
    /// `operator` or `tenant`.
    #[schema(rename = "registeredBy")]
    registered_by: String,
    #[schema(rename = "jwksUrl")]
    jwks_url: Option<String>,
    #[schema(rename = "introspectionUrl")]
    introspection_url: Option<String>,
    #[schema(rename = "clientId")]
    client_id: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TrustedIssuerList {
    #[schema(rename = "trustedIssuers")]
    trusted_issuers: Vec<TrustedIssuer>,
}

/// A page of the audit log, newest first; `nextCursor` while older entries remain.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AuditPage {
    entries: Vec<Value>,
    #[schema(rename = "nextCursor")]
    next_cursor: Option<String>,
}

/// A setup link of the web console. `url` (which holds the code) is in the creating response
/// only; `status` is `active`, `redeemed`, `revoked` or `expired`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SetupLink {
    id: String,
    status: String,
    #[schema(rename = "createdBy")]
    created_by: String,
    created: String,
    #[schema(rename = "expiresAt")]
    expires_at: String,
    #[schema(rename = "redeemedAt")]
    redeemed_at: Option<String>,
    #[schema(rename = "revokedAt")]
    revoked_at: Option<String>,
    url: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SetupLinkList {
    #[schema(rename = "setupLinks")]
    setup_links: Vec<SetupLink>,
}
