//! Wiring: the one place that plugs infra adapters into the domain's ports, and the server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use scimgate_domain::ports::{Cache, Clock, ReadinessProbe, SecretHasher, SystemClock};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::service::admin::AdminService;
use scimgate_domain::service::authenticate::Authenticator;
use scimgate_domain::service::list_query::PageLimits;
use scimgate_domain::service::resources::ResourceService;
use scimgate_infra::auth::argon::Argon2Hasher;
use scimgate_infra::cache::memory::MemoryCache;
use scimgate_infra::cache::redis_cache;
use scimgate_infra::db::probe::DatabaseProbe;
use scimgate_infra::db::{
    self, DatabaseConnection, DatabaseSettings, DbErr, SqlResourceStore, SqlTenantStore,
    SqlTokenStore,
};
use secrecy::ExposeSecret;

use crate::admin_key::AdminKey;
use crate::config::{Settings, redact_url};
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database {url}: {source}")]
    Database { url: String, source: DbErr },
    #[error("cannot migrate the database: {0}")]
    Migration(DbErr),
    #[error("cannot connect to Redis: {0}")]
    Redis(String),
    #[error("cannot create the data folder: {0}")]
    DataDir(std::io::Error),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

/// Opens and migrates the configured database.
pub async fn open_database(settings: &Settings) -> Result<DatabaseConnection, StartupError> {
    let url = settings.database_url();
    db::ensure_sqlite_dir(&url).map_err(StartupError::DataDir)?;
    let db_settings = DatabaseSettings {
        url: url.clone(),
        schema: settings.database_schema.clone(),
        max_connections: settings.database_max_connections,
        acquire_timeout: Duration::from_secs(settings.database_acquire_timeout_secs),
    };
    let conn = db::connect(&db_settings)
        .await
        .map_err(|source| StartupError::Database {
            url: redact_url(&url),
            source,
        })?;
    db::migrate(&conn).await.map_err(StartupError::Migration)?;
    Ok(conn)
}

/// Builds every service on an open database.
pub async fn build_state(
    settings: &Settings,
    conn: DatabaseConnection,
) -> Result<AppState, StartupError> {
    let mut probes: Vec<Arc<dyn ReadinessProbe>> = vec![Arc::new(DatabaseProbe(conn.clone()))];
    let cache: Arc<dyn Cache> = match &settings.redis_url {
        Some(url) => {
            let redis = Arc::new(
                redis_cache::RedisCache::connect(url.expose_secret(), &settings.redis_prefix)
                    .await
                    .map_err(|err| StartupError::Redis(err.to_string()))?,
            );
            probes.push(redis.clone());
            redis
        }
        None => Arc::new(MemoryCache::new(settings.cache_capacity)),
    };
    let fresh_key = Argon2Hasher::new(Vec::new()).random_secret();
    let key = db::settings_repo::fingerprint_key(&conn, fresh_key)
        .await
        .map_err(StartupError::Migration)?;
    let hasher: Arc<dyn SecretHasher> = Arc::new(Argon2Hasher::new(key.into_bytes()));
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let tenants = Arc::new(SqlTenantStore::new(conn.clone()));
    let tokens = Arc::new(SqlTokenStore::new(conn.clone()));
    let registry = Arc::new(SchemaRegistry::standard());
    let store = Arc::new(SqlResourceStore::new(conn, registry.clone()));
    let limits = PageLimits {
        default_count: settings.default_page_size.min(settings.max_page_size),
        max_results: settings.max_page_size,
    };
    Ok(AppState {
        resources: ResourceService::new(registry, store, hasher.clone(), clock.clone(), limits),
        admin: AdminService::new(
            tenants.clone(),
            tokens.clone(),
            hasher.clone(),
            cache.clone(),
            clock.clone(),
        ),
        authenticator: Authenticator::new(
            tokens,
            tenants,
            hasher,
            cache,
            clock,
            Duration::from_secs(settings.token_cache_ttl_secs),
        ),
        admin_key: settings.admin_key.as_ref().map(AdminKey::new),
        public_url: settings.public_url.clone(),
        max_body_bytes: settings.max_body_bytes,
        max_bulk_operations: settings.bulk_max_operations,
        probes,
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
        let listen_error = |source| StartupError::Listen {
            address: listen.to_owned(),
            source,
        };
        let listener = TcpListener::bind(listen).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
        let data = web::Data::from(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(tracing_actix_web::TracingLogger::default())
                .configure(crate::routes::configure)
        })
        .listen(listener)
        .map_err(listen_error)?
        .run();
        Ok(Self { port, server })
    }
}
