//! Resources as the store hands them over, and what the service hands the store to write.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::references::Reference;
use super::searchable::SearchValue;
use crate::schema::kind::ResourceKind;

/// A member of a group, resolved against the tenant's resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: Uuid,
    pub kind: ResourceKind,
    /// The member's `displayName` (or a User's `userName` when it has none).
    pub display: Option<String>,
}

/// A group a user belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub group_id: Uuid,
    pub display: Option<String>,
    /// `false` when the user belongs to the group only through another group.
    pub direct: bool,
}

/// One resource read from storage, with its relations. Serialisable because the read cache
/// holds resources in this stored form (policy and projection apply after it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResource {
    pub id: Uuid,
    pub kind: ResourceKind,
    pub version: i64,
    pub created: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    /// Client attributes with canonical names; no `id`, `meta`, `members`, `groups` or password.
    pub document: Map<String, Value>,
    /// Group members (empty for users).
    pub members: Vec<Member>,
    /// Groups the user belongs to directly (empty for groups).
    pub groups: Vec<Membership>,
}

/// The column copies a store needs to index, look up and enforce uniqueness.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedValues {
    pub user_name: Option<String>,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
    /// What a reference to this resource shows: `displayName`, else `userName`.
    pub display: Option<String>,
}

impl IndexedValues {
    pub fn of(document: &Map<String, Value>) -> Self {
        let text = |key: &str| document.get(key).and_then(Value::as_str).map(str::to_owned);
        Self {
            user_name: text("userName"),
            external_id: text("externalId"),
            display_name: text("displayName"),
            display: text("displayName").or_else(|| text("userName")),
        }
    }
}

/// A full write: the document and everything stored beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceWrite {
    pub id: Uuid,
    pub kind: ResourceKind,
    pub document: Map<String, Value>,
    pub indexed: IndexedValues,
    /// `None` keeps the stored hash; `Some` sets a new one.
    pub password_hash: Option<String>,
    /// Member ids for groups: the complete new member set.
    pub members: Vec<Uuid>,
    /// Resources the document newly names (a User's manager), to check like members.
    pub references: Vec<Reference>,
    /// The document's entries for the value index, replacing any previous ones.
    pub values: Vec<SearchValue>,
    pub at: DateTime<Utc>,
    /// Whether the write adds an active User (a create, or a reactivation), which a tenant's
    /// seat limit must admit (`guard_rails::takes_seat`).
    pub takes_seat: bool,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub total: u64,
    pub resources: Vec<StoredResource>,
    /// Cursor paging: the sort key of each resource (JSON null when it has none), in order.
    pub sort_keys: Vec<Value>,
    /// Cursor paging: whether more rows lie beyond this page in the direction read.
    pub has_more: bool,
}
