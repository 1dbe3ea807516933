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

use super::entities::event_sequences;
use super::entities::events::{self, Column};
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
}

pub(super) fn to_domain(row: events::Model) -> DomainResult<ChangeEvent> {
    let corrupt = |what: &str| DomainError::unavailable(std::io::Error::other(what.to_owned()));
    Ok(ChangeEvent {
        sequence: row.sequence,
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

    #[tracing::instrument(name = "db.events.purge", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db), otel.status_code = Empty,
    ))]
    async fn purge(&self, before: DateTime<Utc>) -> DomainResult<u64> {
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
        }
        Ok(purged)
    }
}
