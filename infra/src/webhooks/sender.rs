//! The HTTP client webhooks are posted with: no redirects (a redirect could lead a signed
//! body anywhere), a 15 s timeout, and for endpoints a tenant admin registered a resolver
//! that admits public addresses only (checked at every delivery, so a DNS change cannot
//! point a registered name at an internal service later).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::WebhookSender;
use scimgate_domain::webhook::delivery::{OutgoingWebhook, SendResult};

use super::signature;
use crate::auth::outbound::Outbound;
use crate::auth::public_network::PublicNetwork;

/// Longest a delivery may take, connection included (Standard Webhooks suggests 15-30 s).
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(15);

/// The trusted issuers' outbound clients (no redirects, the public-address resolver for
/// tenant-registered endpoints), with the delivery timeout.
pub struct HttpWebhookSender {
    outbound: Outbound,
}

impl HttpWebhookSender {
    pub fn new(network: PublicNetwork) -> DomainResult<Self> {
        Ok(Self {
            outbound: Outbound::with_timeout(network, DELIVERY_TIMEOUT)?,
        })
    }
}

#[async_trait]
impl WebhookSender for HttpWebhookSender {
    async fn send(&self, request: OutgoingWebhook<'_>) -> SendResult {
        let started = Instant::now();
        let failed = |error: String| SendResult {
            status: None,
            latency: started.elapsed(),
            error: Some(error),
        };
        let client = match self.outbound.client(request.url, request.reach) {
            Ok(client) => client,
            Err(refused) => return failed(refused.to_string()),
        };
        let mut secrets = vec![request.secrets.current.as_str()];
        secrets.extend(request.secrets.previous.as_deref());
        let signature = signature::header(
            &secrets,
            &request.message_id,
            request.timestamp,
            &request.body,
        );
        let sent = client
            .post(request.url)
            .header("content-type", request.content_type)
            .header("webhook-id", &request.message_id)
            .header("webhook-timestamp", request.timestamp.to_string())
            .header("webhook-signature", signature)
            .body(request.body)
            .send()
            .await;
        match sent {
            Ok(response) => SendResult {
                status: Some(response.status().as_u16()),
                latency: started.elapsed(),
                error: None,
            },
            // Without the URL: it may carry a token in its query string.
            Err(err) => failed(err.without_url().to_string()),
        }
    }
}
