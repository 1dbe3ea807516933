//! RFC 8936 poll delivery of change events as signed SETs (`POST /t/{tenant}/events/poll`).
//! The receiver is the calling credential (`principal.subject`: a token or OAuth client of
//! the tenant); what it acknowledged is kept per receiver. A poll first records the
//! acknowledgements (`ack` and `setErrs` alike), then answers the oldest events the receiver
//! has not acknowledged: an answered but unacknowledged SET comes again on the next poll
//! (at-least-once). A long poll (`returnImmediately` false, the RFC's default) waits up to
//! `max_wait` for events to exist, waking when the tenant's event head moves.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::context::RequestContext;
use crate::error::DomainResult;
use crate::event::poll::PollRequest;
use crate::event::set::{SetAddress, issuer};
use crate::event::{ChangeEvent, Variant};
use crate::ports::{Clock, EventReceiverStore, EventWatch};
use crate::service::events::authorize;
use crate::service::set_signer::SetSigner;

/// The answer: SETs by jti, and whether more unacknowledged events wait.
#[derive(Debug, Clone, PartialEq)]
pub struct PollAnswer {
    pub sets: Map<String, Value>,
    pub more_available: bool,
}

pub struct EventPoll {
    receivers: Arc<dyn EventReceiverStore>,
    watch: Arc<dyn EventWatch>,
    signer: Arc<SetSigner>,
    clock: Arc<dyn Clock>,
    /// Longest a long poll waits for events before it answers an empty set.
    max_wait: Duration,
}

impl EventPoll {
    pub fn new(
        receivers: Arc<dyn EventReceiverStore>,
        watch: Arc<dyn EventWatch>,
        signer: Arc<SetSigner>,
        clock: Arc<dyn Clock>,
        max_wait: Duration,
    ) -> Self {
        Self {
            receivers,
            watch,
            signer,
            clock,
            max_wait,
        }
    }

    /// One poll by the caller of `ctx`; `origin` (scheme and host) makes the SETs' issuer.
    #[tracing::instrument(skip_all, err, fields(tenant = %ctx.principal.tenant_slug))]
    pub async fn poll(
        &self,
        ctx: &RequestContext,
        origin: &str,
        variant: Variant,
        body: &Value,
    ) -> DomainResult<PollAnswer> {
        authorize(&ctx.principal)?;
        let request = PollRequest::parse(body)?;
        let tenant = ctx.principal.tenant_id;
        let receiver = ctx.principal.subject.as_str();
        for report in &request.set_errs {
            tracing::warn!(
                receiver,
                jti = %report.jti,
                err = %report.err,
                description = report.description.as_deref().unwrap_or(""),
                "a SET receiver could not process a SET; it counts as acknowledged"
            );
        }
        let acknowledged = request.acknowledged();
        if !acknowledged.is_empty() {
            let known = self
                .receivers
                .acknowledge(tenant, receiver, &acknowledged)
                .await?;
            let named = request.ack.len() + request.set_errs.len();
            if known < named as u64 {
                // RFC 8936 defines no error for these; acks are idempotent, so a retried
                // request that acknowledges again (or an event purged meanwhile) is fine.
                tracing::debug!(receiver, named, known, "acks naming no event were skipped");
            }
        }
        if request.max_events == 0 {
            return Ok(PollAnswer {
                sets: Map::new(),
                more_available: false,
            });
        }
        let wait = chrono::Duration::from_std(self.max_wait).unwrap_or(chrono::Duration::MAX);
        let deadline = self.clock.now().checked_add_signed(wait);
        loop {
            // The head first: an event committed after this read moves the head, so the
            // wait below returns at once instead of missing it.
            let head = self.watch.head(tenant).await?;
            let (events, more) = self
                .receivers
                .pending(tenant, receiver, request.max_events)
                .await?;
            let left = deadline
                .map(|at| at - self.clock.now())
                .and_then(|left| left.to_std().ok())
                .filter(|left| !left.is_zero());
            match left {
                Some(left) if events.is_empty() && !request.return_immediately => {
                    self.watch.wait_past(tenant, head, left).await?;
                }
                _ => {
                    let to = SetAddress {
                        issuer: &issuer(origin, ctx.principal.tenant_slug.as_str()),
                        audience: receiver,
                        variant,
                    };
                    return Ok(PollAnswer {
                        sets: self.sign_all(&events, &to).await?,
                        more_available: more,
                    });
                }
            }
        }
    }

    async fn sign_all(
        &self,
        events: &[ChangeEvent],
        to: &SetAddress<'_>,
    ) -> DomainResult<Map<String, Value>> {
        let mut sets = Map::new();
        for event in events {
            let set = self.signer.sign(event, to).await?;
            sets.insert(event.event.id.to_string(), Value::String(set));
        }
        Ok(sets)
    }
}

#[cfg(test)]
mod tests;
