//! Webhook endpoints: where a tenant's change events are pushed, signed per Standard Webhooks
//! 1.0 (or as RFC 8935 SETs), at least once, with retries.

pub mod delivery;
pub mod request;
pub mod retry;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::event::Variant;
use crate::oauth::trusted_issuer::Registrar;
use crate::tenant::TenantId;

/// How events are posted: JSON signed with the Standard Webhooks headers, or the compact SET
/// as `application/secevent+jwt` (RFC 8935).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    #[default]
    Json,
    Set,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Set => "set",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Json, Self::Set]
            .into_iter()
            .find(|f| f.as_str() == raw)
    }
}

/// `disabled` is set by the dispatcher (a receiver answered 410 Gone); `paused` by an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookStatus {
    Active,
    Paused,
    Disabled,
}

impl WebhookStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Active, Self::Paused, Self::Disabled]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A registered endpoint (its secrets live only in the store and in deliveries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: Uuid,
    #[serde(skip)]
    pub tenant_id: TenantId,
    pub url: String,
    /// Dotted event types delivered; empty for all.
    pub events: Vec<String>,
    pub format: WebhookFormat,
    pub variant: Variant,
    pub status: WebhookStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub registered_by: Registrar,
    /// While set and in the future, deliveries are signed with the previous secret as well.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
}

impl Webhook {
    /// Whether the endpoint wants events of this dotted type.
    pub fn wants(&self, event_type: &str) -> bool {
        self.events.is_empty() || self.events.iter().any(|t| t == event_type)
    }
}

/// The Standard Webhooks secrets a delivery is signed with: the current one, and during a
/// rotation's grace period the previous one.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecrets {
    pub current: String,
    pub previous: Option<String>,
}

impl std::fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecrets(..)")
    }
}

/// A new Standard Webhooks secret from `random` (at least 32 random characters): `whsec_`
/// and the base64 of the key bytes.
pub fn new_secret(random: &str) -> String {
    use base64::Engine;
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(random.as_bytes())
    )
}
