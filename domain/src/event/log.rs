//! Events as the outbox keeps them: numbered per tenant, read in number order.

use super::draft::NewEvent;
use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;

/// One stored event.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeEvent {
    /// Strictly increasing per tenant, without gaps: the events API's cursor.
    pub sequence: i64,
    pub event: NewEvent,
}

/// Which events of a tenant to read, after which sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventQuery {
    pub after: i64,
    pub limit: u64,
    /// Dotted type names (`user.created`); empty for every type.
    pub types: Vec<String>,
    pub resource_type: Option<ResourceKind>,
}

/// A page of events with where the tenant's retained events start and end.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    pub events: Vec<ChangeEvent>,
    /// More matching events follow the page.
    pub has_more: bool,
    /// The newest sequence number given to the tenant (0 before its first event), read
    /// before the page, so every event up to it is already in the page or behind it.
    pub head: i64,
    /// The oldest event still kept, if any.
    pub oldest: Option<i64>,
}

/// An events cursor: the sequence number of the last event a consumer has seen.
pub fn parse_cursor(raw: &str) -> DomainResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| DomainError::InvalidCursor(format!("malformed events cursor '{raw}'")))
}
