//! Opening the database: pool limits, SQLite pragmas, the PostgreSQL schema, migrations.

use std::time::Duration;

use scimgate_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc`, `sqlite::memory:` or `postgres://...`.
    pub url: String,
    /// PostgreSQL schema to use instead of `public` (created when missing).
    pub schema: Option<String>,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

/// Connects with bounded pool and timeouts; SQLite gets WAL and a busy timeout so concurrent
/// writers queue instead of failing.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    let is_sqlite = settings.url.starts_with("sqlite:");
    if let Some(schema) = settings.schema.as_deref().filter(|_| !is_sqlite) {
        create_schema(settings, schema).await?;
    }
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        .sqlx_logging(false);
    if is_sqlite {
        // An in-memory database lives only as long as its connections.
        options.idle_timeout(None).max_lifetime(None);
        options.map_sqlx_sqlite_opts(sqlite_pragmas);
        if !settings.url.contains(":memory:") && !settings.url.contains("mode=memory") {
            switch_to_wal(settings).await?;
        }
    }
    if let Some(schema) = settings.schema.as_deref().filter(|_| !is_sqlite) {
        options.set_schema_search_path(schema.to_owned());
    }
    if !is_sqlite {
        // JIT compilation pays off for long analytic queries; for scimgate's millisecond
        // lookups it only adds its compile time (measured: 226 ms on a 1 ms group-closure
        // query whose recursive estimate crossed `jit_above_cost`).
        options.map_sqlx_postgres_opts(|opts| opts.options([("jit", "off")]));
    }
    Database::connect(options).await
}

fn sqlite_pragmas(opts: SqliteConnectOptions) -> SqliteConnectOptions {
    opts.journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        // Each connection keeps its prepared statements; batched writes (combined creates,
        // Bulk) make a new statement for every batch size, thousands of parameters each, so
        // sqlx's default of 100 per connection filled memory with statements used once.
        // Measured (`--writes-only`, 10 000 users): peak RSS 153 MiB with 100, 131 MiB with
        // 24, 100 MiB with none; throughput equal at 24 and 25 % lower with none.
        .statement_cache_capacity(24)
        .foreign_keys(true)
        .create_if_missing(true)
}

/// Puts a SQLite file in WAL mode through one connection before the pool opens more: the
/// mode persists in the file, and a new file's first switch needs an exclusive lock that two
/// connections opening at once contend for ("database is locked", without waiting out the
/// busy timeout).
async fn switch_to_wal(settings: &DatabaseSettings) -> Result<(), DbErr> {
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(1)
        .connect_timeout(settings.acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(sqlite_pragmas);
    Database::connect(options).await?.close().await
}

async fn create_schema(settings: &DatabaseSettings, schema: &str) -> Result<(), DbErr> {
    if !schema
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(DbErr::Custom(format!("invalid schema name '{schema}'")));
    }
    let mut options = ConnectOptions::new(settings.url.clone());
    options.max_connections(1).sqlx_logging(false);
    let admin = Database::connect(options).await?;
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        .await?;
    admin.close().await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// The names of the migrations this build has and the database lacks, read without changing
/// anything (not even creating the migration table).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations_read_only(db)
        .await?
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect())
}

/// Creates the parent folder of a SQLite file so that `./data` need not exist beforehand.
pub fn ensure_sqlite_dir(url: &str) -> std::io::Result<()> {
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Ok(());
    };
    let path = rest.split('?').next().unwrap_or_default();
    match std::path::Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}
