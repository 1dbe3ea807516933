//! What webhook delivery needs from the outside world: the endpoints and their queue in the
//! database, and an HTTP client that signs and posts.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainResult;
use crate::tenant::TenantId;
use crate::webhook::delivery::{
    DeliveryAttempt, DueDelivery, FinishedAttempt, OutgoingWebhook, ReplayRange, SendResult,
};
use crate::webhook::{Webhook, WebhookSecrets};

#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Stores a new endpoint with its secret; it receives the events after the tenant's
    /// latest one at this moment.
    async fn insert(&self, webhook: &Webhook, secret: &str) -> DomainResult<()>;
    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<Webhook>>;
    async fn find(&self, tenant: TenantId, id: Uuid) -> DomainResult<Option<Webhook>>;
    /// Saves url, events, format, variant and status; `false` when it is gone.
    async fn update(&self, webhook: &Webhook) -> DomainResult<bool>;
    /// A new current secret; the old one keeps signing until `previous_until`.
    async fn rotate_secret(
        &self,
        tenant: TenantId,
        id: Uuid,
        secret: &str,
        previous_until: DateTime<Utc>,
    ) -> DomainResult<bool>;
    /// Deletes the endpoint with its queue and log; `false` when there was none.
    async fn delete(&self, tenant: TenantId, id: Uuid) -> DomainResult<bool>;
    /// The newest attempts first.
    async fn attempts(
        &self,
        tenant: TenantId,
        id: Uuid,
        limit: u64,
    ) -> DomainResult<Vec<DeliveryAttempt>>;
    /// Queues the events of `range` (those the endpoint wants) again, due at `now`; returns
    /// how many.
    async fn replay(
        &self,
        webhook: &Webhook,
        range: ReplayRange,
        now: DateTime<Utc>,
    ) -> DomainResult<u64>;
}

/// The delivery queue, shared by every replica.
#[async_trait]
pub trait DeliveryQueue: Send + Sync {
    /// Queues, for every active endpoint, the events committed since it was last fanned
    /// out; returns how many deliveries it queued.
    async fn fan_out(&self, now: DateTime<Utc>) -> DomainResult<u64>;
    /// Leases up to `limit` deliveries due at `now` for `lease`, skipping those another
    /// replica holds and those of endpoints in `busy`.
    async fn claim(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        lease: Duration,
        busy: &[Uuid],
    ) -> DomainResult<Vec<DueDelivery>>;
    /// Records each attempt and applies its `next` step (which may disable the endpoint),
    /// all in one transaction.
    async fn record(&self, attempts: &[FinishedAttempt]) -> DomainResult<()>;
}

#[async_trait]
pub trait WebhookSender: Send + Sync {
    /// Signs (Standard Webhooks headers) and posts; never fails, the result says how it went.
    async fn send(&self, request: OutgoingWebhook<'_>) -> SendResult;
}

/// The secrets of `webhook` as of `now`: the previous one only inside its grace period.
pub fn signing_secrets(
    webhook: &Webhook,
    current: String,
    previous: Option<String>,
    now: DateTime<Utc>,
) -> WebhookSecrets {
    let in_grace = webhook
        .previous_secret_until
        .is_some_and(|until| until > now);
    WebhookSecrets {
        current,
        previous: previous.filter(|_| in_grace),
    }
}
