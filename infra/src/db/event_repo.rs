//! `EventLog` on sea-orm: the outbox read in sequence order, and its retention purge.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::kind::Operation;
use scimgate_domain::event::{ChangeEvent, EventPage, EventQuery, NewEvent};
use scimgate_domain::ports::EventLog;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tracing::field::Empty;

use super::entities::events::{self, Column};
use super::entities::{event_sequences, webhook_attempts, webhook_deliveries};
use super::errors::unavailable;
use super::observe::db_system;
use super::outbox;

pub struct SqlEventLog {
    db: DatabaseConnection,
}

impl SqlEventLog {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The webhook log past the window, and finished deliveries of events no longer kept
    /// (pending ones stay: a paused endpoint still owes them, if only as a failure).
    async fn purge_deliveries(
        &self,
        tenant: uuid::Uuid,
        before: DateTime<Utc>,
    ) -> DomainResult<()> {
        webhook_attempts::Entity::delete_many()
            .filter(webhook_attempts::Column::TenantId.eq(tenant))
            .filter(webhook_attempts::Column::At.lt(before))
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        let oldest: Option<i64> = events::Entity::find()
            .select_only()
            .column(Column::Sequence)
            .filter(Column::TenantId.eq(tenant))
            .filter(Column::Sequence.is_not_null())
            .order_by_asc(Column::Sequence)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        let mut finished = webhook_deliveries::Entity::delete_many()
            .filter(webhook_deliveries::Column::TenantId.eq(tenant))
            .filter(webhook_deliveries::Column::State.ne("pending"));
        if let Some(oldest) = oldest {
            finished = finished.filter(webhook_deliveries::Column::Sequence.lt(oldest));
        }
        finished.exec(&self.db).await.map_err(unavailable)?;
        Ok(())
    }
}

pub(super) fn to_domain(row: events::Model) -> DomainResult<ChangeEvent> {
    let corrupt = |what: &str| DomainError::unavailable(std::io::Error::other(what.to_owned()));
    Ok(ChangeEvent {
        sequence: row
            .sequence
            .ok_or_else(|| corrupt("an event read before it was numbered"))?,
        event: NewEvent {
            id: row.id,
            txn: row.txn,
            operation: Operation::parse(&row.operation)
                .ok_or_else(|| corrupt("unknown event operation in the outbox"))?,
            kind: ResourceKind::parse(&row.resource_type)
                .ok_or_else(|| corrupt("unknown resource type in the outbox"))?,
            resource_id: row.resource_id,
            external_id: row.external_id,
            version: row.version,
            actor: row.actor,
            request_id: row.request_id,
            at: row.occurred_at,
            payload: serde_json::from_value(row.payload).map_err(DomainError::unavailable)?,
        },
    })
}

#[async_trait]
impl EventLog for SqlEventLog {
    #[tracing::instrument(name = "db.events.page", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, otel.status_code = Empty,
    ))]
    async fn page(&self, tenant: TenantId, query: &EventQuery) -> DomainResult<EventPage> {
        // The head first: every event numbered up to it has committed, so the page below
        // sees them all.
        let head = outbox::head(&self.db, tenant.0).await?;
        let oldest: Option<i64> = events::Entity::find()
            .select_only()
            .column(Column::Sequence)
            .filter(Column::TenantId.eq(tenant.0))
            .filter(Column::Sequence.is_not_null())
            .order_by_asc(Column::Sequence)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        if query.limit == 0 {
            return Ok(EventPage {
                events: Vec::new(),
                has_more: false,
                head,
                oldest,
            });
        }
        let mut select = events::Entity::find()
            .filter(Column::TenantId.eq(tenant.0))
            .filter(Column::Sequence.gt(query.after));
        if !query.types.is_empty() {
            select = select.filter(Column::EventType.is_in(query.types.iter().cloned()));
        }
        if let Some(kind) = query.resource_type {
            select = select.filter(Column::ResourceType.eq(kind.name()));
        }
        let mut rows = select
            .order_by_asc(Column::Sequence)
            .limit(query.limit.saturating_add(1))
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let has_more = rows.len() as u64 > query.limit;
        rows.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
        Ok(EventPage {
            events: rows
                .into_iter()
                .map(to_domain)
                .collect::<DomainResult<_>>()?,
            has_more,
            head,
            oldest,
        })
    }

    async fn sequence_pending(&self) -> DomainResult<u64> {
        outbox::sequence_all_pending(&self.db).await
    }

    #[tracing::instrument(name = "db.events.purge", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db), otel.status_code = Empty,
    ))]
    async fn purge(&self, before: DateTime<Utc>) -> DomainResult<u64> {
        // Numbered first: the counters then know of every event the purge may remove, so
        // a cursor before them is told it expired.
        outbox::sequence_all_pending(&self.db).await?;
        // Tenant by tenant, so each delete is a range of the (tenant_id, occurred_at) index
        // (and stays on one shard when the tables are distributed by tenant).
        let tenants: Vec<uuid::Uuid> = event_sequences::Entity::find()
            .select_only()
            .column(event_sequences::Column::TenantId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut purged = 0;
        for tenant in tenants {
            purged += events::Entity::delete_many()
                .filter(Column::TenantId.eq(tenant))
                .filter(Column::OccurredAt.lt(before))
                .exec(&self.db)
                .await
                .map_err(unavailable)?
                .rows_affected;
            self.purge_deliveries(tenant, before).await?;
        }
        Ok(purged)
    }
}
