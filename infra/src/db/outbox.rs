//! The change-event outbox, written inside the transaction of the write it reports: a write
//! that rolls back takes its events with it. Numbers come from the tenant's row in
//! `event_sequences`, which the write then holds locked until it commits, so a tenant's events
//! commit in number order and the numbers have no gaps.

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::NewEvent;
use scimgate_domain::event::kind::type_name;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};
use uuid::Uuid;

use super::entities::events;
use super::errors::unavailable;

/// Rows per INSERT: 15 columns each, well under both databases' bind-parameter limits.
const CHUNK: usize = 500;

/// Numbers `events` and appends them to the tenant's outbox.
pub async fn record(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    events: Vec<NewEvent>,
) -> DomainResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let last = take_sequences(db, tenant, count).await?;
    let first = last - count + 1;
    let mut rows = Vec::with_capacity(events.len());
    for (sequence, event) in (first..).zip(events) {
        rows.push(events::ActiveModel {
            tenant_id: Set(tenant),
            sequence: Set(sequence),
            id: Set(event.id),
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
        sea_orm::DbBackend::Postgres => {
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

/// The newest number given to the tenant's events, 0 before its first.
pub async fn head(db: &impl ConnectionTrait, tenant: Uuid) -> DomainResult<i64> {
    use super::entities::event_sequences as seq;
    Ok(seq::Entity::find_by_id(tenant)
        .one(db)
        .await
        .map_err(unavailable)?
        .map_or(0, |row| row.last_sequence))
}
