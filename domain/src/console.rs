//! The web console's credentials: setup links, which the operator or a tenant admin hands to a
//! customer's IT admin, and the browser sessions they open. Both name their tenant in the
//! presented value (`<tenant id>_<secret>`), so every lookup is by tenant first; only keyed
//! hashes of the secrets are stored.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::tenant::TenantId;

/// A setup link as stored: never its code, only the code's keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupLink {
    pub id: Uuid,
    pub tenant_id: TenantId,
    pub code_hash: String,
    /// The audit actor that made it (`operator`, a token id, `console:<session>`).
    pub created_by: String,
    pub created: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Where a link stands at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    Active,
    Redeemed,
    Revoked,
    Expired,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Redeemed => "redeemed",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
}

impl SetupLink {
    pub fn status(&self, now: DateTime<Utc>) -> LinkStatus {
        if self.revoked_at.is_some() {
            LinkStatus::Revoked
        } else if self.redeemed_at.is_some() {
            LinkStatus::Redeemed
        } else if self.expires_at <= now {
            LinkStatus::Expired
        } else {
            LinkStatus::Active
        }
    }
}

/// Where operator sessions are kept: the nil id, which no tenant has (tenant ids are UUIDv7),
/// so a tenant page, which requires its own tenant's id in the cookie, never accepts one.
pub const OPERATOR_SESSIONS: TenantId = TenantId(Uuid::nil());

/// A console session as stored, found by its tenant and the keyed hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSession {
    pub id: Uuid,
    pub tenant_id: TenantId,
    pub secret_hash: String,
    /// The setup link that opened it.
    pub link_id: Uuid,
    pub created: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl ConsoleSession {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && self.expires_at > now
    }

    /// An operator's session (signed in with the admin key), bound to no tenant.
    pub fn is_operator(&self) -> bool {
        self.tenant_id == OPERATOR_SESSIONS
    }

    /// The audit actor of everything done in this session.
    pub fn actor(&self) -> String {
        if self.is_operator() {
            return format!("operator-console:{}", self.id.simple());
        }
        format!("console:{}", self.id.simple())
    }
}

/// A presented link code or session cookie: the tenant it names and its secret. Anything not
/// of the form `<32 hex digits>_<alphanumerics>` is refused before any lookup.
#[derive(Debug, Clone)]
pub struct TenantSecret {
    pub tenant_id: TenantId,
    pub secret: String,
}

impl TenantSecret {
    pub fn new(tenant_id: TenantId, secret: String) -> Self {
        Self { tenant_id, secret }
    }

    pub fn parse(raw: &str) -> DomainResult<Self> {
        let invalid = || DomainError::Unauthenticated("malformed console credential".into());
        let (tenant, secret) = raw.split_once('_').ok_or_else(invalid)?;
        if tenant.len() != 32 || secret.is_empty() || secret.len() > 128 {
            return Err(invalid());
        }
        if !secret.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid());
        }
        let id = Uuid::try_parse(tenant).map_err(|_| invalid())?;
        Ok(Self {
            tenant_id: TenantId(id),
            secret: secret.to_owned(),
        })
    }

    /// The value handed out (in a URL or a cookie).
    pub fn encode(&self) -> String {
        format!("{}_{}", self.tenant_id.0.simple(), self.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_secret_round_trips_and_refuses_malformed_values() {
        let value = TenantSecret::new(TenantId(Uuid::now_v7()), "abcDEF123".into());
        let parsed = TenantSecret::parse(&value.encode()).unwrap();
        assert_eq!(parsed.tenant_id, value.tenant_id);
        assert_eq!(parsed.secret, "abcDEF123");
        for bad in [
            "",
            "abc",
            "nounderscore",
            &format!("{}_", Uuid::now_v7().simple()),
            &format!("{}_a-b", Uuid::now_v7().simple()),
            &format!("{}_abc", "z".repeat(32)),
        ] {
            assert!(TenantSecret::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn link_status_follows_revocation_redemption_and_expiry() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut link = SetupLink {
            id: Uuid::now_v7(),
            tenant_id: TenantId(Uuid::now_v7()),
            code_hash: String::new(),
            created_by: "operator".into(),
            created: now,
            expires_at: now + chrono::Duration::hours(1),
            redeemed_at: None,
            revoked_at: None,
        };
        assert_eq!(link.status(now), LinkStatus::Active);
        assert_eq!(
            link.status(now + chrono::Duration::hours(2)),
            LinkStatus::Expired
        );
        link.redeemed_at = Some(now);
        assert_eq!(link.status(now), LinkStatus::Redeemed);
        link.revoked_at = Some(now);
        assert_eq!(link.status(now), LinkStatus::Revoked);
    }
}
