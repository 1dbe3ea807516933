//! The per-tenant log of SCIM requests the console shows: what an identity provider asked and
//! how it was answered, never what it sent. A record holds the route pattern (never the
//! path typed, never a query string), the status and `scimType`, the time to the response
//! head and the token or client that called; no body and no attribute value.

mod health;

pub use health::{RequestHealth, StatusClasses};

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::tenant::TenantId;

/// One answered SCIM request of a verified tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub tenant_id: TenantId,
    /// UUIDv7 taken when the request arrived: the log's order.
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `GET`, `POST`, ... (a bounded label; other methods are `_OTHER`).
    pub method: String,
    /// The route pattern, e.g. `/t/{tenant}/scim/v2/Users/{id}`.
    pub route: String,
    /// `list`, `create`, `get`, `replace`, `patch`, `delete`, `search`, `bulk`, `discovery`.
    pub operation: String,
    pub status: u16,
    pub scim_type: Option<String>,
    /// Time to the response head.
    pub latency: Duration,
    /// The token id or OAuth client id that called (never a secret).
    pub caller: String,
}
