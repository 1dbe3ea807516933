//! Audit entries: who did what to which resource of a tenant, when, and how it ended.
//! Entries hold ids only — never a secret, never an attribute value (no userName, no email):
//! the log is read by tenant admins and kept longer than the data it describes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::tenant::TenantId;

/// The actor of operator actions (admin key or CLI).
pub const OPERATOR: &str = "operator";

/// The actor of what scimgate does on its own schedule (the purge of soft-deleted resources).
pub const SYSTEM: &str = "system";

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: Uuid,
    #[serde(skip)]
    pub tenant_id: TenantId,
    /// Microsecond precision, so the value survives both databases unchanged.
    pub at: DateTime<Utc>,
    /// Token id, OAuth client id, or `operator`.
    pub actor: String,
    /// `user.create`, `group.patch`, `client.update`, `token.revoke`, ...
    pub action: String,
    /// `User`, `Group`, `Client`, `Token`, `Tenant`.
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// The HTTP status the action answered (or its bulk operation carried).
    pub status: u16,
    pub scim_type: Option<String>,
    pub request_id: Option<String>,
}

/// Where a page of the log starts: strictly older than this entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl AuditCursor {
    pub fn after(entry: &AuditEntry) -> Self {
        Self {
            at: entry.at,
            id: entry.id,
        }
    }

    /// Opaque to clients: `<microseconds since the epoch>.<entry id>`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.at.timestamp_micros(), self.id.simple())
    }

    pub fn decode(raw: &str) -> DomainResult<Self> {
        let invalid = || DomainError::InvalidCursor("malformed audit cursor".into());
        let (micros, id) = raw.split_once('.').ok_or_else(invalid)?;
        let micros: i64 = micros.parse().map_err(|_| invalid())?;
        Ok(Self {
            at: DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?,
            id: Uuid::try_parse(id).map_err(|_| invalid())?,
        })
    }
}

/// One page of a tenant's log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    pub before: Option<AuditCursor>,
    pub limit: u64,
}

/// A page and where the next (older) one starts, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let cursor = AuditCursor {
            at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(AuditCursor::decode(&cursor.encode()).unwrap(), cursor);
        for bad in ["", "x", "12.", ".abc", "12.not-a-uuid", "x.0190"] {
            assert!(AuditCursor::decode(bad).is_err(), "{bad:?} accepted");
        }
    }
}
