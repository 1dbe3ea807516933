//! The events API's use case: a tenant's change events after a cursor, for consumers that
//! follow changes by polling (`GET /t/{tenant}/events`).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::authz::principal::Principal;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::event::json::event_json;
use crate::event::kind::parse_types;
use crate::event::log::parse_cursor;
use crate::event::{EventQuery, Variant};
use crate::ports::EventLog;
use crate::schema::kind::ResourceKind;
use crate::scope::Scope;

/// Events per page when the consumer names no limit, and the most it may ask for.
pub const DEFAULT_EVENT_LIMIT: u64 = 100;
pub const MAX_EVENT_LIMIT: u64 = 1000;

/// The query string as sent: each value is checked here, so a bad one is a SCIM error.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EventListParams {
    pub after: Option<String>,
    pub limit: Option<String>,
    pub types: Option<String>,
    #[serde(rename = "resourceType")]
    pub resource_type: Option<String>,
    pub variant: Option<String>,
}

/// A page of events in their JSON form.
#[derive(Debug, Clone, PartialEq)]
pub struct EventList {
    pub events: Vec<Value>,
    /// Where the next request continues (`after=`): also when this page is empty, so a
    /// consumer that filters by type does not re-read the events it skipped.
    pub next_cursor: String,
    pub has_more: bool,
}

pub struct EventFeed {
    log: Arc<dyn EventLog>,
    /// How long events are kept; named in the error for a cursor older than that.
    retention: Duration,
}

impl EventFeed {
    pub fn new(log: Arc<dyn EventLog>, retention: Duration) -> Self {
        Self { log, retention }
    }

    /// Numbers committed events still without a number (see `EventLog::sequence_pending`).
    pub async fn sequence_pending(&self) -> DomainResult<u64> {
        self.log.sequence_pending().await
    }

    /// Deletes the events older than the retention window at `now`; returns how many.
    pub async fn purge_expired(&self, now: DateTime<Utc>) -> DomainResult<u64> {
        let window = chrono::Duration::from_std(self.retention).unwrap_or(chrono::Duration::MAX);
        match now.checked_sub_signed(window) {
            Some(cutoff) => self.log.purge(cutoff).await,
            None => Ok(0),
        }
    }

    pub async fn list(
        &self,
        ctx: &RequestContext,
        params: &EventListParams,
    ) -> DomainResult<EventList> {
        authorize(&ctx.principal)?;
        let after = params.after.as_deref().map(parse_cursor).transpose()?;
        let query = EventQuery {
            after: after.unwrap_or(0),
            limit: parse_limit(params.limit.as_deref())?,
            types: match params.types.as_deref() {
                Some(raw) => parse_types(raw)?,
                None => Vec::new(),
            },
            resource_type: params
                .resource_type
                .as_deref()
                .map(parse_resource_type)
                .transpose()?,
        };
        let variant = match params.variant.as_deref() {
            Some(raw) => Variant::parse(raw)?,
            None => Variant::Full,
        };
        let page = self.log.page(ctx.principal.tenant_id, &query).await?;
        if let Some(after) = after {
            if after > page.head {
                return Err(DomainError::InvalidCursor(format!(
                    "events cursor {after} is ahead of this tenant's latest event ({})",
                    page.head
                )));
            }
            // Numbers have no gaps, so a missing successor was purged, not skipped.
            let first_kept = page.oldest.unwrap_or(page.head + 1);
            if after + 1 < first_kept {
                return Err(DomainError::ExpiredCursor(format!(
                    "the events after cursor {after} are older than the {}-day retention \
                     window and were purged; resync by reading /Users and /Groups, then \
                     follow events from the nextCursor of GET events?limit=0 taken before that read",
                    self.retention.as_secs() / 86_400
                )));
            }
        }
        let last = page.events.last().map(|e| e.sequence);
        let next = match last {
            Some(last) if page.has_more => last,
            _ => page.head.max(last.unwrap_or(0)).max(query.after),
        };
        let tenant = ctx.principal.tenant_slug.as_str();
        Ok(EventList {
            events: page
                .events
                .iter()
                .map(|e| event_json(e, tenant, variant))
                .collect(),
            next_cursor: next.to_string(),
            has_more: page.has_more,
        })
    }
}

/// Events cover every resource of the tenant, whatever a policy would hide, so only a
/// caller without one may read them.
pub(crate) fn authorize(principal: &Principal) -> DomainResult<()> {
    let scoped =
        principal.scopes.contains(&Scope::EventsRead) || principal.scopes.contains(&Scope::Admin);
    if !scoped {
        return Err(DomainError::Forbidden(
            "the token lacks the scope scim:events:read".into(),
        ));
    }
    if principal.policy.is_some() {
        return Err(DomainError::Forbidden(
            "events cover the whole tenant; a token restricted by a policy cannot read them".into(),
        ));
    }
    Ok(())
}

fn parse_limit(raw: Option<&str>) -> DomainResult<u64> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_EVENT_LIMIT);
    };
    raw.parse::<u64>()
        .ok()
        .filter(|n| *n <= MAX_EVENT_LIMIT)
        .ok_or_else(|| {
            DomainError::InvalidValue(format!(
                "limit must be a whole number from 0 to {MAX_EVENT_LIMIT}, not '{raw}'"
            ))
        })
}

fn parse_resource_type(raw: &str) -> DomainResult<ResourceKind> {
    ResourceKind::ALL
        .into_iter()
        .find(|k| k.name() == raw)
        .ok_or_else(|| {
            DomainError::InvalidValue(format!("unknown resourceType '{raw}'; use User or Group"))
        })
}
