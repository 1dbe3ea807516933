//! The change-event outbox, written inside the transaction of the write it reports: a write
//! that rolls back takes its events with it. Events are numbered per tenant without gaps, and a
//! reader who has seen number n has seen every number below it:
//!
//! - SQLite runs one write at a time, so a write takes its numbers from the tenant's row in
//!   `event_sequences` itself.
//! - PostgreSQL runs writes side by side, and a write holding that row until its commit would
//!   make a tenant's writes commit one at a time (an eighth of the throughput, measured with
//!   pgbench here). A write leaves `sequence` empty instead, its place in `recorded`; the
//!   sequencer (`sequence_pending`) numbers committed events, in `recorded` order, under the
//!   counter row's lock. Only numbered events are read, and numbers are given after the events
//!   they follow became visible, so no reader skips one. Every reader numbers what is pending
//!   before it reads, and `serve` runs the sequencer in the background for the rest.

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::NewEvent;
use scimgate_domain::event::kind::type_name;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QuerySelect,
    Statement, TransactionTrait,
};
use uuid::Uuid;

use super::entities::events;
use super::errors::unavailable;

/// Rows per INSERT: 16 columns each, well under both databases' bind-parameter limits.
const CHUNK: usize = 500;

/// Appends `events` to the tenant's outbox (numbered now on SQLite, by the sequencer on
/// PostgreSQL).
pub async fn record(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    events: Vec<NewEvent>,
) -> DomainResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let numbered_now = db.get_database_backend() != DbBackend::Postgres;
    let mut next = if numbered_now {
        let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
        Some(take_sequences(db, tenant, count).await? - count + 1)
    } else {
        None
    };
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        let sequence = next;
        next = next.map(|n| n + 1);
        rows.push(events::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(event.id),
            sequence: Set(sequence),
            txn: Set(event.txn),
            event_type: Set(type_name(event.kind, event.operation)),
            operation: Set(event.operation.as_str().to_owned()),
            resource_type: Set(event.kind.name().to_owned()),
            resource_id: Set(event.resource_id),
            external_id: Set(event.external_id),
            version: Set(event.version),
            actor: Set(event.actor),
            request_id: Set(event.request_id),
            occurred_at: Set(event.at),
            payload: Set(serde_json::to_value(&event.payload).map_err(DomainError::unavailable)?),
            // PostgreSQL's column default (`nextval('events_recorded')`) gives the order.
            recorded: NotSet,
        });
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        events::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await
            .map_err(unavailable)?;
    }
    Ok(())
}

/// Advances the tenant's counter by `count` and returns its new value, the last number taken.
async fn take_sequences(db: &impl ConnectionTrait, tenant: Uuid, count: i64) -> DomainResult<i64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO event_sequences (tenant_id, last_sequence) VALUES ($1, $2) \
             ON CONFLICT (tenant_id) DO UPDATE \
             SET last_sequence = event_sequences.last_sequence + EXCLUDED.last_sequence \
             RETURNING last_sequence"
        }
        _ => {
            "INSERT INTO event_sequences (tenant_id, last_sequence) VALUES (?, ?) \
             ON CONFLICT (tenant_id) DO UPDATE \
             SET last_sequence = event_sequences.last_sequence + excluded.last_sequence \
             RETURNING last_sequence"
        }
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [tenant.into(), count.into()],
        ))
        .await
        .map_err(unavailable)?
        .ok_or_else(|| unavailable(sea_orm::DbErr::RecordNotInserted))?;
    row.try_get("", "last_sequence").map_err(unavailable)
}

/// Numbers the tenant's committed, not yet numbered events (PostgreSQL; nothing to do on
/// SQLite); returns how many.
pub async fn sequence_pending(db: &DatabaseConnection, tenant: Uuid) -> DomainResult<u64> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let pending = events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .filter(sea_orm::ColumnTrait::eq(&events::Column::TenantId, tenant))
        .filter(sea_orm::ColumnTrait::is_null(&events::Column::Sequence))
        .limit(1)
        .into_tuple::<Uuid>()
        .one(db)
        .await
        .map_err(unavailable)?;
    if pending.is_none() {
        return Ok(0);
    }
    let txn = db.begin().await.map_err(unavailable)?;
    let run = |sql: &str, values: Vec<sea_orm::Value>| {
        Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
    };
    txn.execute_raw(run(
        "INSERT INTO event_sequences (tenant_id, last_sequence) VALUES ($1, 0) \
         ON CONFLICT (tenant_id) DO NOTHING",
        vec![tenant.into()],
    ))
    .await
    .map_err(unavailable)?;
    // The lock makes sequencers take turns; each statement after it sees what the previous
    // sequencer numbered (READ COMMITTED), so no number is given twice.
    let last: i64 = txn
        .query_one_raw(run(
            "SELECT last_sequence FROM event_sequences WHERE tenant_id = $1 FOR UPDATE",
            vec![tenant.into()],
        ))
        .await
        .map_err(unavailable)?
        .ok_or_else(|| unavailable(sea_orm::DbErr::RecordNotFound("event_sequences".into())))?
        .try_get("", "last_sequence")
        .map_err(unavailable)?;
    let numbered = txn
        .execute_raw(run(
            "WITH pending AS ( \
               SELECT id, ROW_NUMBER() OVER (ORDER BY recorded, id) AS n FROM events \
               WHERE tenant_id = $1 AND sequence IS NULL) \
             UPDATE events SET sequence = $2 + pending.n FROM pending \
             WHERE events.tenant_id = $1 AND events.id = pending.id",
            vec![tenant.into(), last.into()],
        ))
        .await
        .map_err(unavailable)?
        .rows_affected();
    let advanced = last.saturating_add(i64::try_from(numbered).unwrap_or(i64::MAX));
    txn.execute_raw(run(
        "UPDATE event_sequences SET last_sequence = $2 WHERE tenant_id = $1",
        vec![tenant.into(), advanced.into()],
    ))
    .await
    .map_err(unavailable)?;
    txn.commit().await.map_err(unavailable)?;
    Ok(numbered)
}

/// Numbers the pending events of every tenant that has some; returns how many.
pub async fn sequence_all_pending(db: &DatabaseConnection) -> DomainResult<u64> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let tenants: Vec<Uuid> = events::Entity::find()
        .select_only()
        .column(events::Column::TenantId)
        .distinct()
        .filter(sea_orm::ColumnTrait::is_null(&events::Column::Sequence))
        .into_tuple()
        .all(db)
        .await
        .map_err(unavailable)?;
    let mut numbered = 0;
    for tenant in tenants {
        numbered += sequence_pending(db, tenant).await?;
    }
    Ok(numbered)
}

/// The newest number given to the tenant's events, 0 before its first; pending events are
/// numbered first, so what this answers covers every write committed before the call.
pub async fn head(db: &DatabaseConnection, tenant: Uuid) -> DomainResult<i64> {
    use super::entities::event_sequences as seq;
    sequence_pending(db, tenant).await?;
    Ok(seq::Entity::find_by_id(tenant)
        .one(db)
        .await
        .map_err(unavailable)?
        .map_or(0, |row| row.last_sequence))
}
