//! Tenants: the customers whose IdPs provision into scimgate, each isolated from the others.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};

/// Internal tenant key; every row of tenant data starts with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TenantId(pub Uuid);

/// The tenant's public name in URLs (`/t/{slug}/scim/v2`): 1–63 of `a-z`, `0-9`, `-`,
/// starting with a letter or digit, so it is safe in a path segment and a cache key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let valid_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let starts_well = raw
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if (1..=63).contains(&raw.len()) && valid_chars && starts_well {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::InvalidValue(format!(
                "tenant slug '{raw}' must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TenantSlug {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<Self> {
        Self::parse(&value)
    }
}

impl From<TenantSlug> for String {
    fn from(slug: TenantSlug) -> Self {
        slug.0
    }
}

impl std::fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: TenantSlug,
    pub name: String,
    pub created: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_accepts_lowercase_digits_and_dashes() {
        assert!(TenantSlug::parse("acme-corp-2").is_ok());
    }

    #[test]
    fn slug_rejects_what_would_break_a_path_or_key() {
        for bad in ["", "-acme", "Acme", "acme/x", "acme corp", &"a".repeat(64)] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
