//! The HTTP client webhooks are posted with: no redirects (a redirect could lead a signed
//! body anywhere), a 15 s timeout, and for endpoints a tenant admin registered a resolver
//! that admits public addresses only (checked at every delivery, so a DNS change cannot
//! point a registered name at an internal service later).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use oauth2::reqwest::{Client, ClientBuilder, redirect};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::trusted_issuer::Reach;
use scimgate_domain::ports::WebhookSender;
use scimgate_domain::webhook::delivery::{OutgoingWebhook, SendResult};
use url::Url;

use super::signature;
use crate::auth::public_network::PublicNetwork;

/// Longest a delivery may take, connection included (Standard Webhooks suggests 15-30 s).
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(15);

fn builder() -> ClientBuilder {
    ClientBuilder::new()
        .redirect(redirect::Policy::none())
        .connect_timeout(DELIVERY_TIMEOUT)
        .timeout(DELIVERY_TIMEOUT)
        .user_agent(concat!("scimgate-webhooks/", env!("CARGO_PKG_VERSION")))
}

pub struct HttpWebhookSender {
    any: Client,
    public: Client,
    network: PublicNetwork,
}

impl HttpWebhookSender {
    pub fn new(network: PublicNetwork) -> DomainResult<Self> {
        let public = builder()
            .dns_resolver(network.resolver())
            .no_proxy()
            .build()
            .map_err(DomainError::unavailable)?;
        Ok(Self {
            any: builder().build().map_err(DomainError::unavailable)?,
            public,
            network,
        })
    }

    fn client(&self, url: &str, reach: Reach) -> Result<&Client, String> {
        match reach {
            Reach::Any => Ok(&self.any),
            Reach::Public => {
                let url = Url::parse(url).map_err(|err| err.to_string())?;
                self.network
                    .check_literal(&url)
                    .map_err(|err| err.to_string())?;
                Ok(&self.public)
            }
        }
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
        let client = match self.client(request.url, request.reach) {
            Ok(client) => client,
            Err(refused) => return failed(refused),
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
