//! One delivery of one event to one endpoint, and what became of each attempt.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{Webhook, WebhookSecrets};
use crate::event::ChangeEvent;
use crate::oauth::trusted_issuer::Reach;

/// A delivery the dispatcher leased: the endpoint, the event, and how far it got.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub tenant_slug: String,
    pub webhook: Webhook,
    pub secrets: WebhookSecrets,
    pub event: ChangeEvent,
    /// Attempts made before this one.
    pub attempts: u32,
    pub first_attempt_at: Option<DateTime<Utc>>,
}

/// A request to post, signed by the sender.
pub struct OutgoingWebhook<'a> {
    pub url: &'a str,
    pub reach: Reach,
    /// `webhook-id`: the event id, the consumer's idempotency key.
    pub message_id: String,
    /// `webhook-timestamp`, Unix seconds.
    pub timestamp: i64,
    pub content_type: &'static str,
    pub body: String,
    pub secrets: &'a WebhookSecrets,
}

/// What one attempt got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendResult {
    /// The HTTP status, when a response came.
    pub status: Option<u16>,
    pub latency: Duration,
    /// Why no response came (timeout, refused connection, ...), or the refusal's reason.
    pub error: Option<String>,
}

/// What the dispatcher does with a delivery after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    Delivered,
    RetryAt(DateTime<Utc>),
    /// Retried for too long: kept in the log, no more attempts.
    GaveUp,
    /// The receiver answered 410 Gone: the endpoint is disabled, its queue kept for a replay.
    DisableEndpoint,
}

/// An attempt made and not yet recorded: the dispatcher records them in batches, so a busy
/// queue pays one transaction per batch rather than one per delivery.
#[derive(Debug, Clone)]
pub struct FinishedAttempt {
    pub delivery: DueDelivery,
    pub at: DateTime<Utc>,
    pub result: SendResult,
    pub next: NextStep,
}

/// One attempt as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttempt {
    pub event_id: Uuid,
    pub sequence: i64,
    pub attempt: u32,
    pub at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where the delivery stands after this attempt: delivered, retrying, failed, disabled.
    pub outcome: String,
}

/// Which past events a replay queues again for an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayRange {
    /// One event, by sequence number.
    Sequence(i64),
    /// Every event that occurred in `[since, until)`.
    Time {
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    },
}
