//! A tenant's lifecycle policy — what `DELETE` does to its Users and Groups — and the
//! soft-deleted resources that policy keeps until their retention ends.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::audit::{AuditEntry, SYSTEM};
use crate::error::{DomainError, DomainResult};
use crate::event::{EventPayload, NewEvent, Operation};
use crate::guard_rails::GuardRails;
use crate::schema::kind::ResourceKind;
use crate::tenant::TenantId;

/// Longest retention a tenant may ask for (ten years).
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// What `DELETE` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deletion {
    /// The resource and its memberships are gone at once (the default).
    #[default]
    Hard,
    /// The resource leaves every SCIM answer, is kept `retention_days` for a restore, then
    /// purged.
    Soft { retention_days: u32 },
}

impl Deletion {
    /// `hard`, or `soft` with a retention of 1 to [`MAX_RETENTION_DAYS`] days.
    pub fn parse(mode: &str, retention_days: Option<u32>) -> DomainResult<Self> {
        match (mode, retention_days) {
            ("hard", None) => Ok(Self::Hard),
            ("hard", Some(_)) => Err(DomainError::InvalidValue(
                "retentionDays: a hard delete keeps nothing; leave it out or use deletion 'soft'"
                    .into(),
            )),
            ("soft", Some(days)) if (1..=MAX_RETENTION_DAYS).contains(&days) => Ok(Self::Soft {
                retention_days: days,
            }),
            ("soft", _) => Err(DomainError::InvalidValue(format!(
                "retentionDays: a soft delete needs a retention of 1 to {MAX_RETENTION_DAYS} days"
            ))),
            (other, _) => Err(DomainError::InvalidValue(format!(
                "deletion: '{other}' is not hard or soft"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Hard => "hard",
            Self::Soft { .. } => "soft",
        }
    }

    pub fn retention_days(self) -> Option<u32> {
        match self {
            Self::Hard => None,
            Self::Soft { retention_days } => Some(retention_days),
        }
    }

    /// When a resource deleted `at` is purged; `None` for a hard delete.
    pub fn purge_after(self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let days = self.retention_days()?;
        Some(at + chrono::Duration::days(i64::from(days)))
    }
}

/// A tenant's lifecycle settings, as the admin API and the CLI show them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LifecyclePolicy {
    pub deletion: Deletion,
    pub guard_rails: GuardRails,
}

impl Serialize for LifecyclePolicy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("deletion", self.deletion.name())?;
        if let Some(days) = self.deletion.retention_days() {
            map.serialize_entry("retentionDays", &days)?;
        }
        // A rule that is off is left out, as `retentionDays` is.
        if !self.guard_rails.verified_domains.is_empty() {
            map.serialize_entry("verifiedDomains", &self.guard_rails.verified_domains)?;
        }
        if let Some(limit) = self.guard_rails.seat_limit {
            map.serialize_entry("seatLimit", &limit)?;
        }
        map.end()
    }
}

/// A soft-deleted resource; after its purge only the tombstone remains (no document, no
/// memberships), so its id is never given again and a restore answers that it is gone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedResource {
    pub id: Uuid,
    #[serde(rename = "resourceType", serialize_with = "kind_name")]
    pub kind: ResourceKind,
    /// The version it had when deleted.
    pub version: i64,
    pub created: DateTime<Utc>,
    pub deleted_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_after: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purged_at: Option<DateTime<Utc>>,
    /// What references showed: `displayName`, else `userName` (so an admin can tell which
    /// resource to restore).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The stored document (`None` once purged); never shown by the admin API.
    #[serde(skip)]
    pub document: Option<Map<String, Value>>,
}

/// An archived resource whose retention ended, as the purge finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct DuePurge {
    pub tenant: TenantId,
    pub id: Uuid,
    pub kind: ResourceKind,
    pub version: i64,
    pub external_id: Option<String>,
}

impl DuePurge {
    /// The `purged` event and the audit entry (`user.purge`, by `system`) of purging it `at`.
    pub fn records(&self, at: DateTime<Utc>) -> (NewEvent, AuditEntry) {
        let event = NewEvent {
            id: Uuid::now_v7(),
            txn: Uuid::now_v7(),
            operation: Operation::Purge,
            kind: self.kind,
            resource_id: self.id,
            external_id: self.external_id.clone(),
            version: self.version,
            actor: SYSTEM.to_owned(),
            request_id: None,
            at,
            payload: EventPayload::default(),
        };
        let entry = AuditEntry {
            id: Uuid::now_v7(),
            tenant_id: self.tenant,
            at,
            actor: SYSTEM.to_owned(),
            action: format!("{}.purge", self.kind.name().to_ascii_lowercase()),
            target_type: Some(self.kind.name().to_owned()),
            target_id: Some(self.id.to_string()),
            status: 204,
            scim_type: None,
            request_id: None,
        };
        (event, entry)
    }
}

fn kind_name<S: serde::Serializer>(kind: &ResourceKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(kind.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_needs_a_bounded_retention_and_hard_takes_none() {
        assert_eq!(Deletion::parse("hard", None).unwrap(), Deletion::Hard);
        assert_eq!(
            Deletion::parse("soft", Some(30)).unwrap(),
            Deletion::Soft { retention_days: 30 }
        );
        for (mode, days) in [
            ("soft", None),
            ("soft", Some(0)),
            ("soft", Some(MAX_RETENTION_DAYS + 1)),
            ("hard", Some(3)),
            ("archive", Some(3)),
        ] {
            assert!(
                matches!(
                    Deletion::parse(mode, days),
                    Err(DomainError::InvalidValue(_))
                ),
                "{mode} {days:?} accepted"
            );
        }
    }

    #[test]
    fn purge_comes_retention_days_after_the_delete() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let soft = Deletion::Soft { retention_days: 2 };
        assert_eq!(
            soft.purge_after(at),
            DateTime::from_timestamp(1_700_000_000 + 2 * 86_400, 0)
        );
        assert_eq!(Deletion::Hard.purge_after(at), None);
    }
}
