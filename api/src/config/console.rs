//! Settings of the web console (`/console`): how long a session lives, how fast one client
//! may try setup-link codes, and who may frame the pages.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

#[derive(Debug, Deserialize)]
pub struct ConsoleSettings {
    /// Lifetime of a console session from its setup link's redemption
    /// (`SCIMGATE_CONSOLE_SESSION_TTL_SECS`, default 8 hours).
    #[serde(
        default = "default_session_ttl",
        rename = "console_session_ttl_secs",
        deserialize_with = "positive_seconds"
    )]
    pub session_ttl: Duration,
    /// Setup-link redemptions one client address may attempt at once; after that one per
    /// second (`SCIMGATE_CONSOLE_REDEEM_BURST`, default 10).
    #[serde(default = "default_redeem_burst", rename = "console_redeem_burst")]
    pub redeem_burst: u32,
    /// The CSP `frame-ancestors` sources of console pages (`SCIMGATE_CONSOLE_FRAME_ANCESTORS`,
    /// e.g. `https://app.example.com`); default `'none'`: no page may frame the console.
    #[serde(
        default = "default_frame_ancestors",
        rename = "console_frame_ancestors"
    )]
    pub frame_ancestors: String,
    /// SCIM requests the console's request log keeps per tenant; older ones are deleted
    /// (`SCIMGATE_CONSOLE_REQUEST_LOG_KEEP`, default 500).
    #[serde(
        default = "default_request_log_keep",
        rename = "console_request_log_keep"
    )]
    pub request_log_keep: u64,
    /// Request log records one replica holds between two writes (each second); past that,
    /// records are dropped and counted (`SCIMGATE_CONSOLE_REQUEST_LOG_BUFFER`, default 10 000).
    #[serde(
        default = "default_request_log_buffer",
        rename = "console_request_log_buffer"
    )]
    pub request_log_buffer: usize,
}

fn positive_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let secs = u64::deserialize(deserializer)?;
    if secs == 0 {
        return Err(serde::de::Error::custom("must be at least 1 second"));
    }
    Ok(Duration::from_secs(secs))
}

fn default_session_ttl() -> Duration {
    Duration::from_secs(8 * 3600)
}

fn default_redeem_burst() -> u32 {
    10
}

fn default_request_log_keep() -> u64 {
    500
}

fn default_request_log_buffer() -> usize {
    10_000
}

fn default_frame_ancestors() -> String {
    "'none'".into()
}

impl ConsoleSettings {
    /// `frame-ancestors` sources are URLs, schemes, hosts or `'self'`/`'none'`: anything that
    /// could end the directive (`;`, `,`) or the header (control characters) is refused.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let bad = |c: char| c == ';' || c == ',' || c.is_control();
        if self.frame_ancestors.trim().is_empty() || self.frame_ancestors.contains(bad) {
            return Err((
                "SCIMGATE_CONSOLE_FRAME_ANCESTORS",
                format!(
                    "'{}' is not a list of CSP sources",
                    self.frame_ancestors.escape_default()
                ),
            ));
        }
        if self.redeem_burst == 0 {
            return Err(("SCIMGATE_CONSOLE_REDEEM_BURST", "must be at least 1".into()));
        }
        if self.request_log_keep == 0 {
            return Err((
                "SCIMGATE_CONSOLE_REQUEST_LOG_KEEP",
                "must be at least 1".into(),
            ));
        }
        if self.request_log_buffer == 0 {
            return Err((
                "SCIMGATE_CONSOLE_REQUEST_LOG_BUFFER",
                "must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

impl ConsoleSettings {
    /// What the request log keeps and buffers.
    pub fn request_log_limits(&self) -> scimgate_domain::service::request_log::RequestLogLimits {
        scimgate_domain::service::request_log::RequestLogLimits {
            keep: self.request_log_keep,
            buffer: self.request_log_buffer,
        }
    }

    /// What the console's session use cases need of these settings.
    pub fn session_rules(&self) -> scimgate_domain::service::console::sessions::SessionRules {
        scimgate_domain::service::console::sessions::SessionRules {
            lifetime: self.session_ttl,
            redeem_quota: scimgate_domain::ports::Quota {
                per_second: 1,
                burst: self.redeem_burst,
            },
        }
    }
}
