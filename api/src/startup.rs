//! Wiring: the one place that plugs infra adapters into the domain's ports, and the server.

mod console;
mod http;
mod oauth;
mod secrets;
mod trusted;
mod webhooks;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, web};
use scimgate_domain::ports::{
    Cache, Clock, RateLimiter, ReadinessProbe, SecretHasher, SystemClock,
};
use scimgate_domain::query::list::PageLimits;
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::service::admin::lifecycle::LifecycleAdmin;
use scimgate_domain::service::admin::tenants::TenantAdmin;
use scimgate_domain::service::admin::tokens::TokenAdmin;
use scimgate_domain::service::audit::Auditor;
use scimgate_domain::service::auth::authenticate::Authenticator;
use scimgate_domain::service::event_poll::EventPoll;
use scimgate_domain::service::events::EventFeed;
use scimgate_domain::service::rate_limit::RateLimitService;
use scimgate_domain::service::request_log::RequestLog;
use scimgate_domain::service::scim::resources::ResourceService;
use scimgate_domain::service::set_signer::SetSigner;
use scimgate_infra::auth::argon::Argon2Hasher;
use scimgate_infra::auth::jwt::Es256JwtCodec;
use scimgate_infra::cache::memory::MemoryCache;
use scimgate_infra::cache::metered::MeteredCache;
use scimgate_infra::cache::redis_cache;
use scimgate_infra::cache::two_level::TwoLevelCache;
use scimgate_infra::db::probe::DatabaseProbe;
use scimgate_infra::db::{
    self, DatabaseConnection, DatabaseSettings, DbErr, PollingEventWatch, SqlAuditLog, SqlEventLog,
    SqlEventReceivers, SqlLifecycleStore, SqlRequestLog, SqlResourceStore, SqlTenantStore,
    SqlTokenStore,
};
use scimgate_infra::ratelimit::fallback::FallbackRateLimiter;
use scimgate_infra::ratelimit::memory::MemoryRateLimiter;
use scimgate_infra::ratelimit::redis_gcra::RedisRateLimiter;
use scimgate_infra::sealing::Sealer;
use secrecy::ExposeSecret;

use crate::admin_key::AdminKey;
use crate::config::{Settings, redact_url};
use crate::forwarded::{self, TrustedProxies};
use crate::head_guard::HeadGuard;
use crate::head_limits::{self, HeadLimits};
use crate::request_log;
use crate::state::AppState;
use crate::telemetry::guard_refusals::GuardRefusalMeter;
use crate::telemetry::metrics::Metrics;
use crate::telemetry::{OtlpTarget, TelemetryError, request_metrics, root_span::ScimRootSpan};

/// How often a waiting long poll looks for new events: one primary-key read per interval.
const EVENT_WATCH_INTERVAL: Duration = Duration::from_millis(250);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database {url}: {source}")]
    Database { url: String, source: DbErr },
    #[error("cannot migrate the database: {0}")]
    Migration(DbErr),
    #[error(
        "the database schema is behind this scimgate ({} pending: {}); run `scimgate migrate` first, or set SCIMGATE_AUTO_MIGRATE=true",
        .0.len(),
        .0.join(", ")
    )]
    SchemaBehind(Vec<String>),
    #[error("cannot prepare the token signing key: {0}")]
    SigningKey(scimgate_domain::error::DomainError),
    #[error("cannot build the HTTP client for trusted issuers: {0}")]
    HttpClient(scimgate_domain::error::DomainError),
    #[error("SCIMGATE_TENANT_ISSUER_ALLOWED_NETWORKS: {0}")]
    AllowedNetworks(String),
    #[error("{0}")]
    HeadLimits(String),
    #[error("SCIMGATE_TRUSTED_PROXIES: {0}")]
    TrustedProxies(String),
    #[error("secrets at rest: {0}")]
    Sealing(#[from] scimgate_infra::sealing::SealError),
    #[error("cannot seal the stored secrets: {0}")]
    Reseal(scimgate_domain::error::DomainError),
    #[error("cannot connect to Redis: {0}")]
    Redis(String),
    #[error("cannot create the data folder: {0}")]
    DataDir(std::io::Error),
    #[error(transparent)]
    Telemetry(#[from] TelemetryError),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

/// Opens the configured database and migrates it, or with `SCIMGATE_AUTO_MIGRATE=false`
/// refuses a schema that is behind (a deployment's migration job owns the schema then).
pub async fn open_database(settings: &Settings) -> Result<DatabaseConnection, StartupError> {
    let conn = connect_database(settings).await?;
    if settings.auto_migrate {
        db::migrate(&conn).await.map_err(StartupError::Migration)?;
    } else {
        let pending = db::pending_migrations(&conn)
            .await
            .map_err(StartupError::Migration)?;
        if !pending.is_empty() {
            return Err(StartupError::SchemaBehind(pending));
        }
    }
    Ok(conn)
}

/// Opens and migrates the configured database, whatever `SCIMGATE_AUTO_MIGRATE` says.
pub async fn migrate_database(settings: &Settings) -> Result<DatabaseConnection, StartupError> {
    let conn = connect_database(settings).await?;
    db::migrate(&conn).await.map_err(StartupError::Migration)?;
    Ok(conn)
}

async fn connect_database(settings: &Settings) -> Result<DatabaseConnection, StartupError> {
    let url = settings.database_url();
    db::ensure_sqlite_dir(&url).map_err(StartupError::DataDir)?;
    let db_settings = DatabaseSettings {
        url: url.clone(),
        schema: settings.database_schema.clone(),
        max_connections: settings.database_max_connections,
        acquire_timeout: settings.database_acquire_timeout,
    };
    let conn = db::connect(&db_settings)
        .await
        .map_err(|source| StartupError::Database {
            url: redact_url(&url),
            source,
        })?;
    Ok(conn)
}

/// Redis-backed (with an in-process fallback) when Redis is configured, in-process otherwise.
async fn rate_limiter(settings: &Settings) -> Result<Arc<dyn RateLimiter>, StartupError> {
    let memory: Arc<dyn RateLimiter> = Arc::new(MemoryRateLimiter::default());
    let Some(url) = &settings.redis_url else {
        return Ok(memory);
    };
    let shared = RedisRateLimiter::connect(url.expose_secret(), &settings.redis_prefix)
        .await
        .map_err(|err| StartupError::Redis(err.to_string()))?;
    Ok(Arc::new(FallbackRateLimiter {
        primary: Arc::new(shared),
        secondary: memory,
    }))
}

/// What the OAuth and trusted-issuer wiring share with the rest of the app.
pub(super) struct Shared {
    pub conn: DatabaseConnection,
    pub tenants: Arc<SqlTenantStore>,
    pub hasher: Arc<dyn SecretHasher>,
    pub cache: Arc<dyn Cache>,
    pub clock: Arc<dyn Clock>,
    pub audit: Arc<Auditor>,
    /// Seals secrets before they are stored (`scimgate_infra::sealing`).
    pub sealer: Arc<Sealer>,
}

/// Builds every service on an open database.
pub async fn build_state(
    settings: &Settings,
    conn: DatabaseConnection,
) -> Result<AppState, StartupError> {
    let mut probes: Vec<Arc<dyn ReadinessProbe>> = vec![Arc::new(DatabaseProbe(conn.clone()))];
    let metrics = Arc::new(Metrics::new(
        &settings.otel_service_name,
        settings.metrics_enabled,
        OtlpTarget::from_settings(settings).as_ref(),
    )?);
    db::observe::observe_pool(&conn, &metrics.meter());
    let limiter = rate_limiter(settings).await?;
    let cache: Arc<dyn Cache> = match &settings.redis_url {
        Some(url) => {
            let redis = Arc::new(
                redis_cache::RedisCache::connect(url.expose_secret(), &settings.redis_prefix)
                    .await
                    .map_err(|err| StartupError::Redis(err.to_string()))?,
            );
            probes.push(redis.clone());
            Arc::new(TwoLevelCache::new(
                redis,
                settings.cache_capacity,
                settings.cache_l1_ttl,
                &metrics.meter(),
            ))
        }
        None => Arc::new(MemoryCache::new(settings.cache_capacity)),
    };
    let backend = settings.redis_url.as_ref().map_or("memory", |_| "redis");
    let cache: Arc<dyn Cache> = Arc::new(MeteredCache::new(cache, backend, &metrics.meter()));
    let fresh_key = Argon2Hasher::new(Vec::new()).random_secret();
    let key = db::settings_repo::fingerprint_key(&conn, fresh_key)
        .await
        .map_err(StartupError::Migration)?;
    let hasher: Arc<dyn SecretHasher> =
        Arc::new(Argon2Hasher::new(key.into_bytes()).with_meter(&metrics.meter()));
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let tenants = Arc::new(SqlTenantStore::new(conn.clone()));
    let tokens = Arc::new(SqlTokenStore::new(conn.clone()));
    let audit_log = Arc::new(SqlAuditLog::new(conn.clone(), &metrics.meter()));
    let audit = Arc::new(Auditor::new(audit_log.clone(), clock.clone()));
    let shared = Shared {
        conn: conn.clone(),
        tenants: tenants.clone(),
        hasher: hasher.clone(),
        cache: cache.clone(),
        clock: clock.clone(),
        audit: audit.clone(),
        sealer: secrets::sealer(settings)?,
    };
    secrets::reseal(&shared).await?;
    let oauth = oauth::oauth(settings, &shared).await?;
    let trusted = trusted::trusted(settings, &shared)?;
    let console = console::console(settings, &shared, limiter.clone());
    let registry = Arc::new(SchemaRegistry::standard());
    let events = EventFeed::new(
        Arc::new(SqlEventLog::new(conn.clone())),
        settings.event_retention,
    );
    let set_signer = Arc::new(SetSigner::new(
        oauth.keys.clone(),
        Arc::new(Es256JwtCodec),
        clock.clone(),
    ));
    let webhooks = webhooks::webhooks(settings, &shared, set_signer.clone())?;
    let event_poll = EventPoll::new(
        Arc::new(SqlEventReceivers::new(conn.clone())),
        Arc::new(PollingEventWatch::new(conn.clone(), EVENT_WATCH_INTERVAL)),
        set_signer.clone(),
        clock.clone(),
        settings.event_poll_wait,
    );
    let request_conn = conn.clone();
    let store = Arc::new(
        SqlResourceStore::new(conn, registry.clone(), audit_log)
            .with_combined_creates()
            .with_combined_member_edits()
            .with_combined_updates(),
    );
    let limits = PageLimits {
        default_count: settings.default_page_size.min(settings.max_page_size),
        max_results: settings.max_page_size,
    };
    let mut resources = ResourceService::new(
        registry,
        store,
        hasher.clone(),
        clock.clone(),
        limits,
        audit.clone(),
    );
    let lifecycle_store = Arc::new(SqlLifecycleStore::new(shared.conn.clone()));
    let refusals = Arc::new(GuardRefusalMeter::new(&metrics.meter()));
    resources = resources.with_guard_rails(lifecycle_store.clone(), refusals);
    if settings.resource_cache_ttl > Duration::ZERO {
        let ttl = settings.resource_cache_ttl;
        resources = resources.with_read_cache(cache.clone(), ttl);
    }
    Ok(AppState {
        resources,
        events,
        webhooks: webhooks.admin,
        dispatcher: webhooks.dispatcher,
        event_poll,
        set_signer,
        tenants: TenantAdmin::new(tenants.clone(), clock.clone(), audit.clone()),
        lifecycle: LifecycleAdmin::new(
            tenants.clone(),
            lifecycle_store,
            clock.clone(),
            audit.clone(),
        ),
        setup_links: console.links,
        console: console.sessions,
        console_frame_ancestors: settings.console.frame_ancestors.clone(),
        tokens: TokenAdmin::new(
            tenants.clone(),
            tokens.clone(),
            hasher.clone(),
            cache.clone(),
            clock.clone(),
            audit,
        ),
        authenticator: Authenticator::new(
            tokens,
            tenants,
            hasher,
            cache,
            clock,
            settings.token_cache_ttl,
            oauth.bearer,
        )
        .trusting(trusted.bearer),
        clients: oauth.clients,
        trusted_issuers: trusted.admin,
        token_issuer: oauth.issuer,
        keys: oauth.keys,
        admin_key: settings.admin_key.as_ref().map(AdminKey::new),
        public_url: settings.public_url.clone(),
        trusted_proxies: TrustedProxies::parse(&settings.trusted_proxies)
            .map_err(StartupError::TrustedProxies)?,
        max_body_bytes: settings.max_body_bytes,
        head_limits: HeadLimits::new(settings.max_uri_bytes, settings.max_header_bytes)
            .map_err(StartupError::HeadLimits)?,
        max_bulk_operations: settings.bulk_max_operations,
        probes,
        metrics,
        rate_limits: RateLimitService::new(limiter, settings.rate_limits()),
        request_log: RequestLog::new(
            Arc::new(SqlRequestLog::new(request_conn)),
            Arc::new(SystemClock),
            settings.console.request_log_limits(),
        ),
    })
}

/// A bound, not yet running server.
pub struct Application {
    pub port: u16,
    pub server: Server,
}

impl Application {
    /// Binds `listen` (port 0 picks a free port) and prepares the server on `state`.
    pub fn bind(listen: &str, state: Arc<AppState>) -> Result<Self, StartupError> {
        Self::bind_with_shutdown(listen, state, Duration::from_secs(30))
    }

    /// Like `bind`; on SIGTERM or SIGINT the server stops accepting and gives in-flight
    /// requests `shutdown_timeout` to finish before it drops their connections.
    pub fn bind_with_shutdown(
        listen: &str,
        state: Arc<AppState>,
        shutdown_timeout: Duration,
    ) -> Result<Self, StartupError> {
        let listen_error = |source| StartupError::Listen {
            address: listen.to_owned(),
            source,
        };
        let listener = TcpListener::bind(listen).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
        let guard = HeadGuard {
            limits: state.head_limits,
            request_timeout: http::CLIENT_REQUEST_TIMEOUT,
            disconnect_timeout: http::CLIENT_DISCONNECT_TIMEOUT,
            clock: Arc::new(SystemClock),
            metrics: state.metrics.clone(),
        };
        let data = web::Data::from(state);
        let app = move || {
            App::new()
                .app_data(data.clone())
                // The last `wrap` runs first: metrics are taken inside the request's span.
                // Innermost: an oversized head is refused before routing, yet logged and counted.
                // (`HeadGuard` checked every head it could frame already; this answers the
                // stand-ins it puts in place of those it refused, and any head it could not.)
                .wrap(from_fn(head_limits::enforce))
                .wrap(from_fn(request_log::middleware::record))
                .wrap(from_fn(request_metrics::record))
                .wrap(tracing_actix_web::TracingLogger::<ScimRootSpan>::new())
                // Outermost: untrusted proxy headers are gone before anything reads them.
                .wrap(from_fn(forwarded::strip_untrusted))
                .configure(crate::routes::configure)
        };
        let server = http::serve(listener, guard, shutdown_timeout, app).map_err(listen_error)?;
        Ok(Self { port, server })
    }
}
