//! What telemetry sees of the database: the `db.system` of spans, storage failures marking
//! their span failed, and the pool's connections as gauges.

use opentelemetry::KeyValue;
use opentelemetry::metrics::Meter;
use sea_orm::{DatabaseBackend, DatabaseConnection};

/// OpenTelemetry's `db.system` name of the connection's database.
pub fn db_system(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => "postgresql",
        DatabaseBackend::Sqlite => "sqlite",
        DatabaseBackend::MySql => "mysql",
        #[allow(unreachable_patterns)]
        _ => "other_sql",
    }
}

/// Marks the current span (a repository method's) failed. Only storage failures do this:
/// client errors such as a taken userName are answers, not faults, and their text names people.
pub fn mark_failed() {
    tracing::Span::current().record("otel.status_code", "ERROR");
}

/// Connections of the pool by state (`db.client.connection.count`, `idle` / `used`) and the
/// pool's limit (`db.client.connection.max`), read when metrics are collected.
pub fn observe_pool(db: &DatabaseConnection, meter: &Meter) {
    let system = KeyValue::new("db.system", db_system(db));
    let conn = db.clone();
    let labels = system.clone();
    meter
        .i64_observable_up_down_counter("db.client.connection.count")
        .with_description("Connections of the database pool by state")
        .with_callback(move |observer| {
            if let Some(pool) = pool_state(&conn) {
                let state = |name: &'static str| {
                    [
                        labels.clone(),
                        KeyValue::new("db.client.connection.state", name),
                    ]
                };
                observer.observe(pool.idle, &state("idle"));
                observer.observe(pool.size - pool.idle, &state("used"));
            }
        })
        .build();
    let conn = db.clone();
    meter
        .i64_observable_up_down_counter("db.client.connection.max")
        .with_description("Most connections the database pool opens")
        .with_callback(move |observer| {
            if let Some(pool) = pool_state(&conn) {
                observer.observe(pool.max, std::slice::from_ref(&system));
            }
        })
        .build();
}

struct PoolState {
    size: i64,
    idle: i64,
    max: i64,
}

/// Asks the backend first: sea-orm's pool getters panic on the wrong backend.
fn pool_state(db: &DatabaseConnection) -> Option<PoolState> {
    let (size, idle, max) = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        #[allow(unreachable_patterns)]
        _ => return None,
    };
    Some(PoolState {
        size: i64::from(size),
        idle: i64::try_from(idle).unwrap_or(i64::MAX),
        max: i64::from(max),
    })
}
