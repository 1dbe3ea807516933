//! What happened to a resource, in the two vocabularies consumers know: RFC 9967's event URIs
//! (`urn:ietf:params:scim:event:prov:patch:full`) for SET receivers, and the short dotted
//! names (`user.updated`) that webhook consumers of hosted directory-sync services filter on.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;

/// The event URI of a purge: outside the IETF namespace, as RFC 9967 registers no purge.
pub const PURGE_EVENT_URI: &str = "urn:scimgate:event:prov:purge";

/// The RFC 9967 provisioning operation an event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Create,
    Put,
    Patch,
    Delete,
    Activate,
    Deactivate,
    /// A soft-deleted resource's retention ended and its archived data was dropped
    /// (scimgate's own; RFC 9967 has no such step).
    Purge,
}

/// Whether an event carries the resource's data (`full`) or only names what changed (`notice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    #[default]
    Full,
    Notice,
}

impl Variant {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        match raw {
            "full" => Ok(Self::Full),
            "notice" => Ok(Self::Notice),
            other => Err(DomainError::InvalidValue(format!(
                "unknown event variant '{other}'; use full or notice"
            ))),
        }
    }
}

impl Operation {
    pub const ALL: [Operation; 7] = [
        Self::Create,
        Self::Put,
        Self::Patch,
        Self::Delete,
        Self::Activate,
        Self::Deactivate,
        Self::Purge,
    ];

    /// The stored name, also the RFC 9967 URI segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Put => "put",
            Self::Patch => "patch",
            Self::Delete => "delete",
            Self::Activate => "activate",
            Self::Deactivate => "deactivate",
            Self::Purge => "purge",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == raw)
    }

    /// The RFC 9967 event URI; only create, put and patch come in a full and a notice form.
    /// A purge, which RFC 9967 does not name, has a URI in scimgate's own namespace.
    pub fn event_uri(self, variant: Variant) -> String {
        if self == Self::Purge {
            return PURGE_EVENT_URI.to_owned();
        }
        let form = match (self, variant) {
            (Self::Create | Self::Put | Self::Patch, Variant::Full) => ":full",
            (Self::Create | Self::Put | Self::Patch, Variant::Notice) => ":notice",
            _ => "",
        };
        format!("urn:ietf:params:scim:event:prov:{}{form}", self.as_str())
    }

    /// The verb of the dotted name: a PUT and a PATCH are both an update to a consumer.
    fn verb(self) -> &'static str {
        match self {
            Self::Create => "created",
            Self::Put | Self::Patch => "updated",
            Self::Delete => "deleted",
            Self::Activate => "activated",
            Self::Deactivate => "deactivated",
            Self::Purge => "purged",
        }
    }
}

/// The dotted event name (`user.created`, `group.updated`, ...).
pub fn type_name(kind: ResourceKind, operation: Operation) -> String {
    format!("{}.{}", kind.name().to_ascii_lowercase(), operation.verb())
}

/// Every dotted name an event can carry, for a `types` filter.
pub fn all_type_names() -> Vec<String> {
    let mut names = Vec::new();
    for kind in ResourceKind::ALL {
        for op in Operation::ALL {
            let name = type_name(kind, op);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Parses a comma-separated `types` filter; an unknown name is a client error, not an empty
/// result, so a typo does not look like silence.
pub fn parse_types(raw: &str) -> DomainResult<Vec<String>> {
    let known = all_type_names();
    let mut types = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !known.iter().any(|k| k == part) {
            return Err(DomainError::InvalidValue(format!(
                "unknown event type '{part}'; known types: {}",
                known.join(", ")
            )));
        }
        if !types.iter().any(|t| t == part) {
            types.push(part.to_owned());
        }
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_uris_follow_rfc_9967() {
        assert_eq!(
            Operation::Patch.event_uri(Variant::Full),
            "urn:ietf:params:scim:event:prov:patch:full"
        );
        assert_eq!(
            Operation::Create.event_uri(Variant::Notice),
            "urn:ietf:params:scim:event:prov:create:notice"
        );
        assert_eq!(
            Operation::Deactivate.event_uri(Variant::Full),
            "urn:ietf:params:scim:event:prov:deactivate"
        );
    }

    #[test]
    fn put_and_patch_are_both_updates() {
        assert_eq!(
            type_name(ResourceKind::User, Operation::Put),
            "user.updated"
        );
        assert_eq!(
            type_name(ResourceKind::Group, Operation::Patch),
            "group.updated"
        );
        assert_eq!(all_type_names().len(), 12);
    }

    #[test]
    fn types_filter_refuses_unknown_names() {
        assert_eq!(
            parse_types("user.created, group.deleted,user.created").unwrap(),
            vec!["user.created", "group.deleted"]
        );
        assert!(parse_types("user.create").is_err());
    }
}
