//! OAuth-style scopes carried by tokens; they decide which SCIM operations a principal may run.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;

/// A permission a token grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "scim:read")]
    Read,
    #[serde(rename = "scim:write")]
    Write,
    #[serde(rename = "scim:users:read")]
    UsersRead,
    #[serde(rename = "scim:users:write")]
    UsersWrite,
    #[serde(rename = "scim:groups:read")]
    GroupsRead,
    #[serde(rename = "scim:groups:write")]
    GroupsWrite,
    /// Calling `/Bulk` at all; each operation still needs its own read/write scope.
    #[serde(rename = "scim:bulk")]
    Bulk,
    /// Tenant self-service: the tenant's OAuth clients, tokens and audit log.
    #[serde(rename = "scim:admin")]
    Admin,
    /// Reading the tenant's change events (`GET /t/{tenant}/events`); `scim:admin` includes it.
    #[serde(rename = "scim:events:read")]
    EventsRead,
}

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

impl Scope {
    pub const ALL: [Scope; 9] = [
        Scope::Read,
        Scope::Write,
        Scope::UsersRead,
        Scope::UsersWrite,
        Scope::GroupsRead,
        Scope::GroupsWrite,
        Scope::Bulk,
        Scope::Admin,
        Scope::EventsRead,
    ];

    /// What an IdP's token gets when no scopes are named: full SCIM read and write, Bulk
    /// included (IdPs batch with it), never tenant administration.
    pub const DEFAULT: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Bulk];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "scim:read",
            Self::Write => "scim:write",
            Self::UsersRead => "scim:users:read",
            Self::UsersWrite => "scim:users:write",
            Self::GroupsRead => "scim:groups:read",
            Self::GroupsWrite => "scim:groups:write",
            Self::Bulk => "scim:bulk",
            Self::Admin => "scim:admin",
            Self::EventsRead => "scim:events:read",
        }
    }

    pub fn parse(raw: &str) -> DomainResult<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                DomainError::InvalidValue(format!(
                    "unknown scope '{raw}'; known scopes: {}",
                    known.join(" ")
                ))
            })
    }

    /// Parses a space- or comma-separated list, as `--scopes` and the admin API take it.
    pub fn parse_list(raw: &str) -> DomainResult<Vec<Self>> {
        let mut scopes = Vec::new();
        for part in raw.split([' ', ',']).filter(|p| !p.is_empty()) {
            let scope = Self::parse(part)?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        Ok(scopes)
    }

    /// Whether this scope grants `access` on resources of `kind`. Write implies read.
    pub fn grants(self, kind: ResourceKind, access: Access) -> bool {
        let (broad, for_kind) = match self {
            Self::Read => (true, None),
            Self::Write => (true, None),
            Self::UsersRead | Self::UsersWrite => (false, Some(ResourceKind::User)),
            Self::GroupsRead | Self::GroupsWrite => (false, Some(ResourceKind::Group)),
            // Neither reads nor writes resources by itself.
            Self::Bulk | Self::Admin | Self::EventsRead => return false,
        };
        let writes = matches!(self, Self::Write | Self::UsersWrite | Self::GroupsWrite);
        let kind_ok = broad || for_kind == Some(kind);
        kind_ok && (writes || access == Access::Read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_scope_implies_read_of_the_same_kind_only() {
        assert!(Scope::UsersWrite.grants(ResourceKind::User, Access::Read));
        assert!(!Scope::UsersWrite.grants(ResourceKind::Group, Access::Read));
        assert!(!Scope::Read.grants(ResourceKind::Group, Access::Write));
        assert!(Scope::Write.grants(ResourceKind::Group, Access::Write));
    }

    #[test]
    fn bulk_and_admin_grant_no_resource_access() {
        for kind in ResourceKind::ALL {
            for access in [Access::Read, Access::Write] {
                assert!(!Scope::Bulk.grants(kind, access));
                assert!(!Scope::Admin.grants(kind, access));
            }
        }
        assert_eq!(Scope::parse("scim:bulk").unwrap(), Scope::Bulk);
        assert_eq!(Scope::parse("scim:admin").unwrap(), Scope::Admin);
    }

    #[test]
    fn scope_list_parses_spaces_and_commas_and_rejects_unknown() {
        let scopes = Scope::parse_list("scim:read, scim:users:write scim:read").unwrap();
        assert_eq!(scopes, vec![Scope::Read, Scope::UsersWrite]);
        assert!(Scope::parse_list("scim:everything").is_err());
    }
}
