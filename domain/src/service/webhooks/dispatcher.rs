//! One delivery at a time: render the event as the endpoint wants it, post it signed, and
//! decide what follows (delivered, retry later, give up, or disable the endpoint on 410).
//! The loop around it (leasing, concurrency, pacing) lives with the server, which owns the
//! runtime; every replica runs one, and leases keep them from sending a delivery twice.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainResult;
use crate::event::json::event_json;
use crate::event::set::{self, SET_MEDIA_TYPE, SetAddress};
use crate::ports::{Clock, DeliveryQueue, WebhookSender};
use crate::service::set_signer::SetSigner;
use crate::webhook::WebhookFormat;
use crate::webhook::delivery::{
    DueDelivery, FinishedAttempt, NextStep, OutgoingWebhook, SendResult,
};
use crate::webhook::retry::{GIVE_UP_AFTER, retry_delay};

/// What `format: "set"` endpoints need: the signer, and the origin their `iss` names (no
/// request to take it from here, so the configured public URL).
pub struct SetDelivery {
    pub signer: Arc<SetSigner>,
    pub origin: String,
}

pub struct Dispatcher {
    queue: Arc<dyn DeliveryQueue>,
    sender: Arc<dyn WebhookSender>,
    sets: SetDelivery,
    clock: Arc<dyn Clock>,
}

impl Dispatcher {
    pub fn new(
        queue: Arc<dyn DeliveryQueue>,
        sender: Arc<dyn WebhookSender>,
        sets: SetDelivery,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            queue,
            sender,
            sets,
            clock,
        }
    }

    /// The body and media type `due`'s endpoint takes: the JSON form, or the compact SET
    /// (RFC 8935) addressed to the endpoint's URL.
    async fn body(&self, due: &DueDelivery) -> DomainResult<(String, &'static str)> {
        let webhook = &due.webhook;
        match webhook.format {
            WebhookFormat::Json => Ok((
                event_json(&due.event, &due.tenant_slug, webhook.variant).to_string(),
                "application/json",
            )),
            WebhookFormat::Set => {
                let issuer = set::issuer(&self.sets.origin, &due.tenant_slug);
                let address = SetAddress {
                    issuer: &issuer,
                    audience: &webhook.url,
                    variant: webhook.variant,
                };
                let token = self.sets.signer.sign(&due.event, &address).await?;
                Ok((token, SET_MEDIA_TYPE))
            }
        }
    }

    /// Queues the events committed since the last fan-out for every active endpoint.
    pub async fn fan_out(&self) -> DomainResult<u64> {
        self.queue.fan_out(self.clock.now()).await
    }

    /// Leases due deliveries, none of an endpoint in `busy`.
    pub async fn claim(
        &self,
        limit: u64,
        lease: Duration,
        busy: &[Uuid],
    ) -> DomainResult<Vec<DueDelivery>> {
        self.queue.claim(self.clock.now(), limit, lease, busy).await
    }

    /// Makes one attempt; `jitter` (0.0..1.0) spreads the retry time. Nothing is recorded
    /// yet: the caller hands the result to `record`, with others.
    pub async fn attempt(&self, due: DueDelivery, jitter: f64) -> FinishedAttempt {
        let webhook = &due.webhook;
        let started = self.clock.now();
        let result = match self.body(&due).await {
            Ok((body, content_type)) => {
                self.sender
                    .send(OutgoingWebhook {
                        url: &webhook.url,
                        reach: webhook.registered_by.reach(),
                        message_id: due.event.event.id.to_string(),
                        timestamp: started.timestamp(),
                        content_type,
                        body,
                        secrets: &due.secrets,
                    })
                    .await
            }
            // No signing key at hand: an attempt that failed on this side, retried like one.
            Err(err) => SendResult {
                status: None,
                latency: Duration::ZERO,
                error: Some(format!("cannot sign the SET: {err}")),
            },
        };
        let at = self.clock.now();
        let next = next_step(&result, &due, at, jitter);
        FinishedAttempt {
            delivery: due,
            at,
            result,
            next,
        }
    }

    /// Records finished attempts in one transaction. Until it commits their leases stand,
    /// so no replica sends them again; if it fails, the leases run out and they are retried.
    pub async fn record(&self, attempts: &[FinishedAttempt]) -> DomainResult<()> {
        self.queue.record(attempts).await
    }
}

/// What follows an attempt: any 2xx delivers, 410 disables the endpoint, anything else is
/// retried with backoff until three days after the first attempt.
pub fn next_step(
    result: &SendResult,
    due: &DueDelivery,
    now: DateTime<Utc>,
    jitter: f64,
) -> NextStep {
    match result.status {
        Some(status) if (200..300).contains(&status) => return NextStep::Delivered,
        Some(410) => return NextStep::DisableEndpoint,
        _ => {}
    }
    let first = due.first_attempt_at.unwrap_or(now);
    let elapsed = (now - first).to_std().unwrap_or_default();
    if elapsed >= GIVE_UP_AFTER {
        return NextStep::GaveUp;
    }
    let delay = retry_delay(due.attempts + 1, jitter);
    let delay = chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX);
    NextStep::RetryAt(now.checked_add_signed(delay).unwrap_or(now))
}
