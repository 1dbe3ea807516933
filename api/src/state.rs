//! What every handler shares: the domain services and the few HTTP-level settings.

use std::sync::Arc;

use scimgate_domain::ports::ReadinessProbe;
use scimgate_domain::service::rate_limit::RateLimitService;
use scimgate_domain::service::request_log::RequestLog;

use scimgate_domain::service::admin::clients::ClientAdmin;
use scimgate_domain::service::admin::lifecycle::LifecycleAdmin;
use scimgate_domain::service::admin::tenants::TenantAdmin;
use scimgate_domain::service::admin::tokens::TokenAdmin;
use scimgate_domain::service::admin::trusted_issuers::TrustedIssuerAdmin;
use scimgate_domain::service::auth::authenticate::Authenticator;
use scimgate_domain::service::auth::key_ring::KeyRing;
use scimgate_domain::service::auth::token_issuer::TokenIssuer;
use scimgate_domain::service::console::links::SetupLinkAdmin;
use scimgate_domain::service::console::sessions::ConsoleSessions;
use scimgate_domain::service::event_poll::EventPoll;
use scimgate_domain::service::events::EventFeed;
use scimgate_domain::service::scim::resources::ResourceService;
use scimgate_domain::service::set_signer::SetSigner;
use scimgate_domain::service::webhooks::admin::WebhookAdmin;
use scimgate_domain::service::webhooks::dispatcher::Dispatcher;

use crate::admin_key::AdminKey;
use crate::forwarded::TrustedProxies;
use crate::head_limits::HeadLimits;
use crate::telemetry::metrics::Metrics;

pub struct AppState {
    pub resources: ResourceService,
    /// The change events SCIM writes leave, for the events API.
    pub events: EventFeed,
    /// Tenants' webhook endpoints (admin API).
    pub webhooks: WebhookAdmin,
    /// Posts queued webhook deliveries; `webhook_dispatch` runs it.
    pub dispatcher: Arc<Dispatcher>,
    /// RFC 8936 poll delivery of those events as signed SETs.
    pub event_poll: EventPoll,
    /// Signs change events as SETs (RFC 8417, RFC 9967) with the access-token key ring.
    pub set_signer: Arc<SetSigner>,
    pub tenants: TenantAdmin,
    /// Tenants' lifecycle policies, the archive of soft-deleted resources and its purge.
    pub lifecycle: LifecycleAdmin,
    /// Setup links of the web console (admin API, CLI).
    pub setup_links: SetupLinkAdmin,
    /// Console sessions: redemption, sign-in checks, CSRF tokens, sign-out.
    pub console: ConsoleSessions,
    /// CSP `frame-ancestors` of console pages.
    pub console_frame_ancestors: String,
    /// Opaque tokens of the tenants.
    pub tokens: TokenAdmin,
    pub authenticator: Authenticator,
    /// OAuth clients of the tenants.
    pub clients: ClientAdmin,
    /// The client credentials grant of `/oauth/token`.
    pub token_issuer: TokenIssuer,
    /// The authorization servers tenants trust.
    pub trusted_issuers: TrustedIssuerAdmin,
    /// The keys access tokens are signed with; also what `key rotate` rotates.
    pub keys: Arc<KeyRing>,
    pub admin_key: Option<AdminKey>,
    /// Overrides scheme and host of generated URLs (`meta.location`, `Location`).
    pub public_url: Option<String>,
    /// Peers whose `Forwarded`/`X-Forwarded-*` headers count (`forwarded.rs`).
    pub trusted_proxies: TrustedProxies,
    pub max_body_bytes: usize,
    /// Longest request URI and largest header block served; beyond: SCIM 414 and 431.
    pub head_limits: HeadLimits,
    /// Most operations one bulk request may carry.
    pub max_bulk_operations: usize,
    /// What `/readyz` checks: the database, and Redis when configured.
    pub probes: Vec<Arc<dyn ReadinessProbe>>,
    /// This app's request, cache and pool metrics (`/metrics`, OTLP).
    pub metrics: Arc<Metrics>,
    pub rate_limits: RateLimitService,
    /// What each tenant's SCIM requests got, buffered then written in batches (console).
    pub request_log: RequestLog,
}

pub type SharedState = Arc<AppState>;
