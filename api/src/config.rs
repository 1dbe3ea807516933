//! Configuration, layered: built-in defaults, then an optional TOML file, then `SCIMGATE_*`
//! environment variables (plus the conventional `DATABASE_URL`, `REDIS_URL` and the
//! OpenTelemetry `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_CERTIFICATE`,
//! `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE`, `OTEL_EXPORTER_OTLP_CLIENT_KEY`, `OTEL_SERVICE_NAME`,
//! `OTEL_SDK_DISABLED`).

use std::path::PathBuf;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer};

use crate::telemetry::log_format::LogFormat;

/// Where `scimgate serve` keeps its data when no database is configured.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/scimgate.sqlite?mode=rwc";

#[derive(Debug, Deserialize)]
pub struct Settings {
    /// Address to listen on.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// `sqlite://...` or `postgres://...`; unset means the embedded SQLite file.
    #[serde(default)]
    pub database_url: Option<SecretString>,
    /// PostgreSQL schema instead of `public` (created when missing).
    #[serde(default)]
    pub database_schema: Option<String>,
    #[serde(default = "default_max_connections")]
    pub database_max_connections: u32,
    /// Seconds to wait for a pooled connection before answering 503.
    #[serde(
        default = "default_acquire_timeout",
        rename = "database_acquire_timeout_secs",
        deserialize_with = "seconds"
    )]
    pub database_acquire_timeout: Duration,
    /// Shared cache; unset means an in-process cache.
    #[serde(default)]
    pub redis_url: Option<SecretString>,
    /// Prefix of every Redis key, so deployments can share a Redis.
    #[serde(default = "default_redis_prefix")]
    pub redis_prefix: String,
    /// Seals signing keys and introspection secrets in the database (AES-256-GCM): 32 bytes
    /// in base64. Unset: they are stored as they are.
    #[serde(default)]
    pub secrets_key: Option<SecretString>,
    /// Earlier secrets keys (comma-separated), to open what they sealed until start-up seals
    /// it again with `secrets_key`.
    #[serde(default)]
    pub secrets_key_previous: Option<SecretString>,
    /// Operator key of the admin API; unset disables the admin API.
    #[serde(default)]
    pub admin_key: Option<SecretString>,
    /// External base URL (e.g. `https://scim.example.com`) used in `meta.location`; unset
    /// means the scheme and host of each request.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Proxies (comma-separated CIDRs or addresses) whose `Forwarded` / `X-Forwarded-Host` /
    /// `X-Forwarded-Proto` headers are believed; from other peers they are ignored. Empty:
    /// nobody's, so URLs come from the `Host` header.
    #[serde(default)]
    pub trusted_proxies: String,
    /// Create a `demo` tenant and token on first start. Defaults to on only when no
    /// database is configured, so production never gets one.
    #[serde(default)]
    pub demo: Option<bool>,
    /// How long a verified token stays cached; bounds how late a revocation reaches replicas
    /// that do not share a Redis.
    #[serde(
        default = "default_token_cache_ttl",
        rename = "token_cache_ttl_secs",
        deserialize_with = "seconds"
    )]
    pub token_cache_ttl: Duration,
    /// Size of the in-process cache: entries, each counted once per started KiB.
    #[serde(default = "default_cache_capacity")]
    pub cache_capacity: u64,
    /// With Redis: the longest an entry stays in a replica's in-process cache, which bounds how
    /// stale a replica can be when an invalidation message is lost.
    #[serde(
        default = "default_cache_l1_ttl",
        rename = "cache_l1_ttl_secs",
        deserialize_with = "seconds"
    )]
    pub cache_l1_ttl: Duration,
    /// How long `GET /Users/{id}` and `GET /Groups/{id}` results stay cached (0: not cached).
    #[serde(
        default = "default_resource_cache_ttl",
        rename = "resource_cache_ttl_secs",
        deserialize_with = "seconds"
    )]
    pub resource_cache_ttl: Duration,
    /// How long change events are kept for the events API (`SCIMGATE_EVENT_RETENTION_DAYS`);
    /// a consumer further behind than that must resync.
    #[serde(
        default = "default_event_retention",
        rename = "event_retention_days",
        deserialize_with = "days"
    )]
    pub event_retention: Duration,
    /// Longest an RFC 8936 long poll (`POST /t/{tenant}/events/poll` without
    /// `returnImmediately`) waits for events (`SCIMGATE_EVENT_POLL_WAIT_SECS`).
    #[serde(
        default = "default_event_poll_wait",
        rename = "event_poll_wait_secs",
        deserialize_with = "seconds"
    )]
    pub event_poll_wait: Duration,
    /// `serve` (and the admin commands) apply pending migrations at start; when false they
    /// refuse to start on a schema that is behind, and `scimgate migrate` must run first.
    #[serde(default = "default_auto_migrate")]
    pub auto_migrate: bool,
    /// Largest accepted request body, advertised as bulk `maxPayloadSize`.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
    /// Longest request URI (path and query string) served; longer ones get a SCIM 414 that
    /// points long filters to `POST .search`. At most 65534, what the HTTP library parses.
    #[serde(default = "default_max_uri_bytes")]
    pub max_uri_bytes: usize,
    /// Largest header block (`name: value` lines) served; larger ones get a SCIM 431.
    #[serde(default = "default_max_header_bytes")]
    pub max_header_bytes: usize,
    /// Most operations one bulk request may carry, advertised as bulk `maxOperations`.
    #[serde(default = "default_bulk_max_operations")]
    pub bulk_max_operations: usize,
    /// Page size when a list request names no `count`.
    #[serde(default = "default_page_size")]
    pub default_page_size: u64,
    /// Largest page served, advertised as `filter.maxResults`.
    #[serde(default = "default_max_page_size")]
    pub max_page_size: u64,
    /// Requests per second one tenant may make (0: unlimited); bursts up to the `_burst` value.
    #[serde(default)]
    pub rate_limit_tenant_per_sec: u32,
    #[serde(default)]
    pub rate_limit_tenant_burst: u32,
    /// Requests per second one token or OAuth client may make (0: unlimited).
    #[serde(default)]
    pub rate_limit_token_per_sec: u32,
    #[serde(default)]
    pub rate_limit_token_burst: u32,
    /// Lifetime of the access tokens `/oauth/token` issues. Also how long a key retired by
    /// `scimgate key rotate` keeps verifying (plus a margin).
    #[serde(
        default = "default_oauth_token_ttl",
        rename = "oauth_token_ttl_secs",
        deserialize_with = "seconds"
    )]
    pub oauth_token_ttl: Duration,
    /// Least seconds between two fetches of a trusted issuer's JWK Set (a token naming an
    /// unknown `kid` triggers one at most this often).
    #[serde(
        default = "default_jwks_min_refresh",
        rename = "jwks_min_refresh_secs",
        deserialize_with = "seconds"
    )]
    pub jwks_min_refresh: Duration,
    /// A trusted issuer's JWK Set older than this is fetched again at its next use.
    #[serde(
        default = "default_jwks_max_age",
        rename = "jwks_max_age_secs",
        deserialize_with = "seconds"
    )]
    pub jwks_max_age: Duration,
    /// Most seconds an active introspection answer is cached (less when the token expires
    /// sooner).
    #[serde(
        default = "default_introspection_cache_max",
        rename = "introspection_cache_max_secs",
        deserialize_with = "seconds"
    )]
    pub introspection_cache_max: Duration,
    /// Networks (comma-separated CIDRs) that JWKS and introspection endpoints registered by
    /// tenant admins may reach besides public addresses; empty: public addresses only.
    #[serde(default)]
    pub tenant_issuer_allowed_networks: String,
    /// `text` or `json` log lines.
    #[serde(default)]
    pub log_format: LogFormat,
    /// Serve Prometheus text at `GET /metrics`, without authentication: expose the port only
    /// to the scraper, or turn this off and rely on OTLP.
    #[serde(default = "default_metrics_enabled")]
    pub metrics_enabled: bool,
    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[serde(
        default = "default_shutdown_timeout",
        rename = "shutdown_timeout_secs",
        deserialize_with = "seconds"
    )]
    pub shutdown_timeout: Duration,
    /// OTLP gRPC collector for traces and metrics (the standard `OTEL_EXPORTER_OTLP_ENDPOINT`);
    /// unset means nothing is exported and no exporter is built.
    #[serde(default)]
    pub otel_exporter_otlp_endpoint: Option<String>,
    /// With an `https://` endpoint: PEM CA bundle that verifies the collector, instead of the
    /// bundled Mozilla roots (the standard `OTEL_EXPORTER_OTLP_CERTIFICATE`).
    #[serde(default)]
    pub otel_exporter_otlp_certificate: Option<PathBuf>,
    /// With an `https://` endpoint: PEM certificate chain and private key scimgate presents to a
    /// collector that asks for client certificates (mutual TLS); both or neither.
    #[serde(default)]
    pub otel_exporter_otlp_client_certificate: Option<PathBuf>,
    #[serde(default)]
    pub otel_exporter_otlp_client_key: Option<PathBuf>,
    /// `service.name` of exported telemetry (the standard `OTEL_SERVICE_NAME`).
    #[serde(default = "default_service_name")]
    pub otel_service_name: String,
    /// The standard `OTEL_SDK_DISABLED`: no export even with an endpoint.
    #[serde(default)]
    pub otel_sdk_disabled: bool,
    /// The web console's `SCIMGATE_CONSOLE_*` settings.
    #[serde(flatten)]
    pub console: console::ConsoleSettings,
}

/// A whole number of seconds, as the `*_SECS` variables are written.
fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    u64::deserialize(deserializer).map(Duration::from_secs)
}

/// Whole days, at least one: a zero retention would purge events before anyone reads them.
fn days<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let days = u64::deserialize(deserializer)?;
    if days == 0 {
        return Err(serde::de::Error::custom("must be at least 1 day"));
    }
    Ok(Duration::from_secs(days.saturating_mul(86_400)))
}

fn default_event_retention() -> Duration {
    Duration::from_secs(30 * 86_400)
}

fn default_event_poll_wait() -> Duration {
    Duration::from_secs(30)
}

fn default_listen() -> String {
    "127.0.0.1:8080".into()
}
fn default_max_connections() -> u32 {
    10
}
fn default_acquire_timeout() -> Duration {
    Duration::from_secs(5)
}
fn default_redis_prefix() -> String {
    "scimgate".into()
}
fn default_token_cache_ttl() -> Duration {
    Duration::from_secs(10)
}
fn default_cache_capacity() -> u64 {
    100_000
}
fn default_cache_l1_ttl() -> Duration {
    Duration::from_secs(5)
}
fn default_resource_cache_ttl() -> Duration {
    Duration::from_secs(60)
}
fn default_auto_migrate() -> bool {
    true
}
fn default_max_body_bytes() -> usize {
    1024 * 1024
}
fn default_max_uri_bytes() -> usize {
    16 * 1024
}
fn default_max_header_bytes() -> usize {
    32 * 1024
}
fn default_bulk_max_operations() -> usize {
    1000
}
fn default_page_size() -> u64 {
    100
}
fn default_max_page_size() -> u64 {
    1000
}
fn default_oauth_token_ttl() -> Duration {
    Duration::from_secs(600)
}
fn default_jwks_min_refresh() -> Duration {
    Duration::from_secs(60)
}
fn default_jwks_max_age() -> Duration {
    Duration::from_secs(3600)
}
fn default_introspection_cache_max() -> Duration {
    Duration::from_secs(300)
}
fn default_metrics_enabled() -> bool {
    true
}
fn default_shutdown_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_service_name() -> String {
    "scimgate".into()
}

impl Settings {
    /// Loads defaults, then `file` (if given and present), then the environment.
    pub fn load(file: Option<&str>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::new();
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment
            .merge(Env::raw().only(&[
                "DATABASE_URL",
                "REDIS_URL",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "OTEL_EXPORTER_OTLP_CERTIFICATE",
                "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
                "OTEL_EXPORTER_OTLP_CLIENT_KEY",
                "OTEL_SERVICE_NAME",
                "OTEL_SDK_DISABLED",
            ]))
            .merge(Env::prefixed("SCIMGATE_"))
            .extract::<Self>()
            .map_err(Box::new)?
            .checked()
    }

    /// Settings that parse further than serde sees, checked at load so a bad entry stops the
    /// start with an error naming its variable.
    fn checked(self) -> Result<Self, Box<figment::Error>> {
        let fail =
            |name: &str, err: String| Box::new(figment::Error::from(format!("{name}: {err}")));
        crate::forwarded::TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|err| fail("SCIMGATE_TRUSTED_PROXIES", err))?;
        scimgate_infra::auth::public_network::PublicNetwork::parse_allowed(
            &self.tenant_issuer_allowed_networks,
        )
        .map_err(|err| fail("SCIMGATE_TENANT_ISSUER_ALLOWED_NETWORKS", err))?;
        self.console.check().map_err(|(n, e)| fail(n, e))?;
        Ok(self)
    }

    /// Built-in defaults alone, ignoring files and the environment (tests start from these).
    pub fn defaults() -> Result<Self, Box<figment::Error>> {
        Figment::new().extract().map_err(Box::new)
    }

    /// The database to use: the configured one or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        self.database_url.as_ref().map_or_else(
            || DEFAULT_DATABASE_URL.to_owned(),
            |url| url.expose_secret().to_owned(),
        )
    }

    /// The request budgets in force; a burst of 0 means twice the rate.
    pub fn rate_limits(&self) -> scimgate_domain::service::rate_limit::RateLimits {
        let quota = |per_second: u32, burst: u32| {
            (per_second > 0).then(|| scimgate_domain::ports::Quota {
                per_second,
                burst: if burst == 0 {
                    per_second.saturating_mul(2)
                } else {
                    burst
                },
            })
        };
        scimgate_domain::service::rate_limit::RateLimits {
            per_tenant: quota(self.rate_limit_tenant_per_sec, self.rate_limit_tenant_burst),
            per_credential: quota(self.rate_limit_token_per_sec, self.rate_limit_token_burst),
        }
    }

    pub fn demo_enabled(&self) -> bool {
        self.demo.unwrap_or(self.database_url.is_none())
    }
}

/// A database URL fit for a log line: the password, if any, is replaced.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

pub mod console;
#[cfg(test)]
mod tests;
