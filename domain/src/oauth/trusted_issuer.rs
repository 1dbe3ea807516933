//! Authorization servers a tenant trusts besides scimgate itself (its Okta, Entra ID,
//! Keycloak...): their JWTs are verified against their JWKS, or their tokens are checked at
//! their RFC 7662 introspection endpoint. What such a token may do is the intersection of
//! its scopes with the scopes the entry allows, narrowed by the entry's policy.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::{Host, Url};
use uuid::Uuid;

use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::scope::Scope;
use crate::tenant::TenantId;

/// The claim that carries scopes unless the operator names another.
pub const DEFAULT_SCOPE_CLAIM: &str = "scope";
/// Longest issuer, audience or endpoint URL accepted.
const MAX_URL_LEN: usize = 2048;
const MAX_CLAIM_NAME_LEN: usize = 128;
const MAX_COPY_CLAIMS: usize = 32;
const MAX_CLIENT_CREDENTIAL_LEN: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IssuerId(pub Uuid);

impl IssuerId {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        Uuid::parse_str(raw)
            .map(Self)
            .map_err(|_| DomainError::NotFound(format!("no trusted issuer with id '{raw}'")))
    }
}

impl std::fmt::Display for IssuerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How the issuer's tokens are checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verification {
    /// JWTs signed with a key of the JWK Set at `url`.
    Jwks { url: String },
    /// Any token, asked about at `url` with HTTP Basic client authentication as `client_id`
    /// (the secret is stored apart: see [`IntrospectionSecret`]).
    Introspection { url: String, client_id: String },
}

impl Verification {
    /// The endpoint scimgate calls: the JWKS or the introspection URL.
    pub fn url(&self) -> &str {
        match self {
            Self::Jwks { url } | Self::Introspection { url, .. } => url,
        }
    }
}

/// Who registered an entry. A tenant admin's endpoints are the tenant's say-so, so scimgate
/// calls them only on public addresses (no loopback, private, link-local or metadata
/// addresses, unless the deployment allows a network) and over https; the operator's may be
/// anywhere, an in-cluster Keycloak say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Registrar {
    #[default]
    Operator,
    Tenant,
}

impl Registrar {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Tenant => "tenant",
        }
    }

    /// A stored value; anything but `operator` is the tenant's, so a damaged row can only
    /// narrow what scimgate calls.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "operator" => Self::Operator,
            _ => Self::Tenant,
        }
    }

    /// Which addresses calls to the entry's endpoints may reach.
    pub fn reach(self) -> Reach {
        match self {
            Self::Operator => Reach::Any,
            Self::Tenant => Reach::Public,
        }
    }
}

/// Which addresses an outbound call may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    Any,
    /// Public unicast addresses, plus the networks the deployment allows.
    Public,
}

/// The client secret scimgate authenticates with at an introspection endpoint. Never printed,
/// never part of a [`TrustedIssuer`], so never in a cache or a response.
#[derive(Clone, PartialEq, Eq)]
pub struct IntrospectionSecret(String);

impl IntrospectionSecret {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for IntrospectionSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntrospectionSecret(..)")
    }
}

/// A trusted authorization server of one tenant, as stored (minus the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedIssuer {
    pub id: IssuerId,
    pub tenant_id: TenantId,
    /// What the tokens' `iss` says, compared exactly.
    pub issuer: String,
    /// What the tokens' `aud` must contain.
    pub audience: String,
    pub verification: Verification,
    /// The claim holding the token's scopes (a space-separated string or an array).
    pub scope_claim: String,
    /// The most a token of this issuer may do, whatever scopes it carries.
    pub allowed_scopes: Vec<Scope>,
    /// Claims copied from the token into the principal, for the policy's `{{claims.x}}`.
    pub copy_claims: Vec<String>,
    pub policy: Option<Policy>,
    pub created: DateTime<Utc>,
    /// Defaulted so cache entries written before it existed still read.
    #[serde(default)]
    pub registered_by: Registrar,
}

/// What an operator asks for, as the admin API and the CLI take it.
#[derive(Debug, Default)]
pub struct TrustedIssuerRequest {
    pub issuer: String,
    pub audience: String,
    pub jwks_url: Option<String>,
    pub introspection_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<IntrospectionSecret>,
    pub scope_claim: Option<String>,
    /// Empty means `Scope::DEFAULT`.
    pub allowed_scopes: Vec<Scope>,
    pub copy_claims: Vec<String>,
    pub policy: Option<Policy>,
}

/// A checked request: everything but the id, tenant and creation time.
#[derive(Debug)]
pub struct ValidIssuer {
    pub issuer: String,
    pub audience: String,
    pub verification: Verification,
    pub secret: Option<IntrospectionSecret>,
    pub scope_claim: String,
    pub allowed_scopes: Vec<Scope>,
    pub copy_claims: Vec<String>,
    pub policy: Option<Policy>,
}

impl TrustedIssuerRequest {
    /// Checks every field; a wrong one is a 400 naming it. A tenant's endpoints must be
    /// https, even to localhost.
    pub fn validate(self, registrar: Registrar) -> DomainResult<ValidIssuer> {
        let issuer = issuer_url(&self.issuer)?;
        let audience = bounded("audience", self.audience, MAX_URL_LEN)?;
        let (verification, secret) = match (self.jwks_url, self.introspection_url) {
            (Some(jwks), None) => {
                if self.client_id.is_some() || self.client_secret.is_some() {
                    return Err(invalid(
                        "clientId and clientSecret belong to an introspection endpoint, not a JWKS URL",
                    ));
                }
                (
                    Verification::Jwks {
                        url: endpoint_url("jwksUrl", &jwks, registrar)?,
                    },
                    None,
                )
            }
            (None, Some(endpoint)) => {
                let (Some(client_id), Some(secret)) = (self.client_id, self.client_secret) else {
                    return Err(invalid(
                        "an introspection endpoint needs clientId and clientSecret",
                    ));
                };
                (
                    Verification::Introspection {
                        url: endpoint_url("introspectionUrl", &endpoint, registrar)?,
                        client_id: bounded("clientId", client_id, MAX_CLIENT_CREDENTIAL_LEN)?,
                    },
                    Some(IntrospectionSecret::new(bounded(
                        "clientSecret",
                        secret.0,
                        MAX_CLIENT_CREDENTIAL_LEN,
                    )?)),
                )
            }
            _ => {
                return Err(invalid("give exactly one of jwksUrl and introspectionUrl"));
            }
        };
        let scope_claim = match self.scope_claim {
            Some(name) => claim_name(&name)?,
            None => DEFAULT_SCOPE_CLAIM.to_owned(),
        };
        if self.copy_claims.len() > MAX_COPY_CLAIMS {
            return Err(invalid(&format!(
                "copyClaims names at most {MAX_COPY_CLAIMS} claims"
            )));
        }
        let mut copy_claims: Vec<String> = Vec::new();
        for name in &self.copy_claims {
            let name = claim_name(name)?;
            if !copy_claims.contains(&name) {
                copy_claims.push(name);
            }
        }
        Ok(ValidIssuer {
            issuer,
            audience,
            verification,
            secret,
            scope_claim,
            allowed_scopes: if self.allowed_scopes.is_empty() {
                Scope::DEFAULT.to_vec()
            } else {
                self.allowed_scopes
            },
            copy_claims,
            policy: self.policy,
        })
    }
}

fn invalid(message: &str) -> DomainError {
    DomainError::InvalidValue(message.to_owned())
}

/// Non-empty, at most `max` bytes, no control characters.
fn bounded(field: &str, value: String, max: usize) -> DomainResult<String> {
    if value.is_empty() || value.len() > max || value.chars().any(char::is_control) {
        return Err(invalid(&format!(
            "{field} must be 1 to {max} characters without control characters"
        )));
    }
    Ok(value)
}

/// The issuer identifier: an absolute http(s) URL, kept exactly as given because tokens'
/// `iss` is compared to it character for character.
fn issuer_url(raw: &str) -> DomainResult<String> {
    let raw = bounded("issuer", raw.to_owned(), MAX_URL_LEN)?;
    match Url::parse(&raw) {
        Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => Ok(raw),
        _ => Err(invalid(&format!(
            "issuer '{raw}' must be an absolute http(s) URL, exactly as the tokens' iss says"
        ))),
    }
}

/// A URL scimgate will call: https, or plain http to the loopback interface only (a local
/// authorization server in development, the operator's only), without credentials or
/// fragment.
fn endpoint_url(field: &str, raw: &str, registrar: Registrar) -> DomainResult<String> {
    let raw = bounded(field, raw.to_owned(), MAX_URL_LEN)?;
    let url =
        Url::parse(&raw).map_err(|err| invalid(&format!("{field} '{raw}' is not a URL: {err}")))?;
    let loopback = match url.host() {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let plain_allowed = loopback && registrar == Registrar::Operator;
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && plain_allowed);
    if !scheme_ok || url.host().is_none() {
        let exception = match registrar {
            Registrar::Operator => " (plain http only to localhost)",
            Registrar::Tenant => "",
        };
        return Err(invalid(&format!(
            "{field} '{raw}' must be an https URL{exception}"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(invalid(&format!(
            "{field} must not carry credentials or a fragment"
        )));
    }
    Ok(url.to_string())
}

/// A JSON member name as claims use them: letters, digits and `_ - . :`.
fn claim_name(raw: &str) -> DomainResult<String> {
    let valid = (1..=MAX_CLAIM_NAME_LEN).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    if valid {
        Ok(raw.to_owned())
    } else {
        Err(invalid(&format!(
            "claim name '{raw}' must be 1 to {MAX_CLAIM_NAME_LEN} of letters, digits, '_', '-', '.', ':'"
        )))
    }
}

#[cfg(test)]
mod tests;
