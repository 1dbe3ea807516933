//! OAuth clients: a tenant's machine callers (a partner's sync job, an internal service) that
//! trade their id and secret for short-lived JWT access tokens at `/oauth/token`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::scope::Scope;
use crate::tenant::TenantId;

const PREFIX: &str = "sgc_";

/// Largest fixed-claims object, serialised: it rides in every access token of the client.
pub const MAX_CLAIMS_BYTES: usize = 2048;

/// The public id of a client (`sgc_<hex>`), sent as the OAuth `client_id` and the JWT `sub`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    /// Lowercase hex after the prefix keeps ids safe in paths, cache keys and Basic auth.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let valid = raw.strip_prefix(PREFIX).is_some_and(|hex| {
            (8..=64).contains(&hex.len())
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::NotFound(format!("no client with id '{raw}'")))
        }
    }

    /// A new id from 32 hex digits.
    pub fn from_hex(hex: &str) -> DomainResult<Self> {
        Self::parse(&format!("{PREFIX}{hex}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientId {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<Self> {
        Self::parse(&value)
    }
}

impl From<ClientId> for String {
    fn from(id: ClientId) -> Self {
        id.0
    }
}

impl std::fmt::Display for ClientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Claims the operator fixes per client, copied into each of its access tokens under
/// `claims` (e.g. `{"org":"partner-a"}`), for policies to match on later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedClaims(Map<String, Value>);

impl FixedClaims {
    /// Accepts a JSON object of at most `MAX_CLAIMS_BYTES`.
    pub fn parse(value: Value) -> DomainResult<Self> {
        let Value::Object(map) = value else {
            return Err(DomainError::InvalidValue(
                "claims must be a JSON object, e.g. {\"org\":\"partner-a\"}".into(),
            ));
        };
        if Value::Object(map.clone()).to_string().len() > MAX_CLAIMS_BYTES {
            return Err(DomainError::InvalidValue(format!(
                "claims must not exceed {MAX_CLAIMS_BYTES} bytes of JSON"
            )));
        }
        Ok(Self(map))
    }

    /// Parses the text of a JSON object, as `--claims` takes it.
    pub fn parse_str(raw: &str) -> DomainResult<Self> {
        let value = serde_json::from_str(raw)
            .map_err(|err| DomainError::InvalidValue(format!("claims are not JSON: {err}")))?;
        Self::parse(value)
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    pub client_id: ClientId,
    pub tenant_id: TenantId,
    pub name: String,
    /// What its tokens may carry; a token request asks for a subset (all when it names none).
    pub scopes: Vec<Scope>,
    pub claims: FixedClaims,
    /// What the client's tokens may see and change beyond their scopes.
    pub policy: Option<Policy>,
    pub created: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// argon2id PHC string of the client secret.
    pub secret_hash: String,
}

impl OAuthClient {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_id_takes_prefixed_lowercase_hex_only() {
        assert!(ClientId::parse("sgc_0123abcd").is_ok());
        for bad in [
            "",
            "sgc_",
            "0123abcd",
            "sgc_0123ABCD",
            "sgc_01",
            "sgc_0123abcd:x",
        ] {
            assert!(ClientId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn claims_must_be_a_small_object() {
        assert!(FixedClaims::parse(json!({"org": "partner-a"})).is_ok());
        assert!(FixedClaims::parse(json!(["org"])).is_err());
        assert!(FixedClaims::parse_str("org=partner-a").is_err());
        let big = json!({"blob": "x".repeat(MAX_CLAIMS_BYTES)});
        assert!(FixedClaims::parse(big).is_err());
    }
}
