//! Opaque per-tenant bearer tokens: `scimgate_<id>_<secret>`. The id finds the row; the secret
//! is only ever stored as an argon2id hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::oauth::client::FixedClaims;
use crate::scope::Scope;
use crate::tenant::TenantId;

const PREFIX: &str = "scimgate_";

/// The public half of a token: shown in listings, used to revoke.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TokenId(String);

impl TokenId {
    /// Ids are lowercase hex so that `_` can separate id and secret unambiguously.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let valid = (8..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::NotFound(format!("no token with id '{raw}'")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TokenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A bearer credential as a client presented it, split into its parts.
pub struct PresentedToken<'a> {
    pub id: TokenId,
    pub secret: &'a str,
    pub whole: &'a str,
}

impl<'a> PresentedToken<'a> {
    pub fn parse(raw: &'a str) -> DomainResult<Self> {
        let malformed = || DomainError::Unauthenticated("malformed bearer token".into());
        let rest = raw.strip_prefix(PREFIX).ok_or_else(malformed)?;
        let (id, secret) = rest.split_once('_').ok_or_else(malformed)?;
        if secret.is_empty() {
            return Err(malformed());
        }
        let id = TokenId::parse(id).map_err(|_| malformed())?;
        Ok(Self {
            id,
            secret,
            whole: raw,
        })
    }
}

/// Whether a bearer credential is in scimgate's opaque format (it may still be malformed).
pub fn is_scimgate_token(raw: &str) -> bool {
    raw.starts_with(PREFIX)
}

/// Formats a token for the one time it is shown.
pub fn format_token(id: &TokenId, secret: &str) -> String {
    format!("{PREFIX}{id}_{secret}")
}

/// A token as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: TokenId,
    pub tenant_id: TenantId,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Fixed claims its principal carries, for its policy's `{{claims.*}}` placeholders
    /// (as an OAuth client's tokens carry the client's).
    pub claims: FixedClaims,
    /// What the token may see and change beyond its scopes; `None`: only the scopes restrict.
    pub policy: Option<Policy>,
    pub created: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub secret_hash: String,
}

impl TokenRecord {
    pub fn is_usable_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|exp| exp > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presented_token_splits_id_and_secret() {
        let token = PresentedToken::parse("scimgate_0123abcd_s3cr_et").unwrap();
        assert_eq!(token.id.as_str(), "0123abcd");
        assert_eq!(token.secret, "s3cr_et");
    }

    #[test]
    fn presented_token_rejects_other_shapes() {
        for bad in [
            "",
            "Bearer x",
            "scimgate_",
            "scimgate_0123abcd_",
            "scimgate_XYZ12345_s",
        ] {
            assert!(PresentedToken::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
