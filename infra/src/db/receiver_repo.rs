//! `EventReceiverStore` on sea-orm: per RFC 8936 receiver, a low-water mark (every event up
//! to it acknowledged) plus the acknowledged events above it. An acknowledgement moves the
//! mark up to just below the oldest event still unacknowledged, and forgets the rows below.

use async_trait::async_trait;
use scimgate_domain::error::DomainResult;
use scimgate_domain::event::ChangeEvent;
use scimgate_domain::ports::EventReceiverStore;
use scimgate_domain::tenant::TenantId;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use tracing::field::Empty;
use uuid::Uuid;

use super::entities::event_receiver_acks as acks;
use super::entities::event_receivers as receivers;
use super::entities::events;
use super::errors::unavailable;
use super::event_repo::to_domain;
use super::observe::db_system;

/// Ids per `IN (...)` and rows per insert, well inside both databases' parameter limits.
const CHUNK: usize = 500;

pub struct SqlEventReceivers {
    db: DatabaseConnection,
}

impl SqlEventReceivers {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The receiver's mark, 0 for a receiver that never acknowledged anything.
async fn mark(db: &impl ConnectionTrait, tenant: Uuid, receiver: &str) -> DomainResult<i64> {
    let mut select = receivers::Entity::find_by_id((tenant, receiver.to_owned()));
    // Concurrent acknowledgements of one receiver (two replicas) take turns on PostgreSQL;
    // SQLite has one writer anyway (and sea-query leaves the clause out there).
    select = select.lock_exclusive();
    Ok(select
        .one(db)
        .await
        .map_err(unavailable)?
        .map_or(0, |row| row.acked_through))
}

/// `events.sequence` is not acknowledged by the receiver.
fn unacknowledged(tenant: Uuid, receiver: &str) -> Expr {
    let mut acked = Query::select();
    acked
        .expr(Expr::val(1))
        .from(acks::Entity)
        .and_where(Expr::col((acks::Entity, acks::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((acks::Entity, acks::Column::Receiver)).eq(receiver))
        .and_where(
            Expr::col((acks::Entity, acks::Column::Sequence))
                .equals((events::Entity, events::Column::Sequence)),
        );
    Expr::exists(acked).not()
}

#[async_trait]
impl EventReceiverStore for SqlEventReceivers {
    #[tracing::instrument(name = "db.event_receivers.acknowledge", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, otel.status_code = Empty,
    ))]
    async fn acknowledge(
        &self,
        tenant: TenantId,
        receiver: &str,
        ids: &[Uuid],
    ) -> DomainResult<u64> {
        let tenant = tenant.0;
        let txn = self.db.begin().await.map_err(unavailable)?;
        receivers::Entity::insert(receivers::ActiveModel {
            tenant_id: Set(tenant),
            receiver: Set(receiver.to_owned()),
            acked_through: Set(0),
            created_at: NotSet,
        })
        .on_conflict(
            OnConflict::columns([receivers::Column::TenantId, receivers::Column::Receiver])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unavailable)?;
        let old_mark = mark(&txn, tenant, receiver).await?;
        let mut known = 0;
        for chunk in ids.chunks(CHUNK) {
            let sequences: Vec<i64> = events::Entity::find()
                .select_only()
                .column(events::Column::Sequence)
                .filter(events::Column::TenantId.eq(tenant))
                .filter(events::Column::Sequence.is_not_null())
                .filter(events::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&txn)
                .await
                .map_err(unavailable)?;
            known += sequences.len() as u64;
            let rows: Vec<_> = sequences
                .into_iter()
                .filter(|sequence| *sequence > old_mark)
                .map(|sequence| acks::ActiveModel {
                    tenant_id: Set(tenant),
                    receiver: Set(receiver.to_owned()),
                    sequence: Set(sequence),
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            acks::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        acks::Column::TenantId,
                        acks::Column::Receiver,
                        acks::Column::Sequence,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await
                .map_err(unavailable)?;
        }
        // Every event below the oldest unacknowledged one is acknowledged (numbers have no
        // gaps and commit in order; purged ones count as done). With none left, the mark
        // moves to the newest acknowledgement.
        let first_open: Option<i64> = events::Entity::find()
            .select_only()
            .column(events::Column::Sequence)
            .filter(events::Column::TenantId.eq(tenant))
            .filter(events::Column::Sequence.gt(old_mark))
            .filter(unacknowledged(tenant, receiver))
            .order_by_asc(events::Column::Sequence)
            .limit(1)
            .into_tuple()
            .one(&txn)
            .await
            .map_err(unavailable)?;
        let new_mark = match first_open {
            Some(open) => open - 1,
            None => acks::Entity::find()
                .select_only()
                .column(acks::Column::Sequence)
                .filter(acks::Column::TenantId.eq(tenant))
                .filter(acks::Column::Receiver.eq(receiver))
                .order_by_desc(acks::Column::Sequence)
                .limit(1)
                .into_tuple::<i64>()
                .one(&txn)
                .await
                .map_err(unavailable)?
                .unwrap_or(old_mark),
        };
        if new_mark > old_mark {
            receivers::Entity::update_many()
                .col_expr(receivers::Column::AckedThrough, Expr::val(new_mark))
                .filter(receivers::Column::TenantId.eq(tenant))
                .filter(receivers::Column::Receiver.eq(receiver))
                .exec(&txn)
                .await
                .map_err(unavailable)?;
            acks::Entity::delete_many()
                .filter(acks::Column::TenantId.eq(tenant))
                .filter(acks::Column::Receiver.eq(receiver))
                .filter(acks::Column::Sequence.lte(new_mark))
                .exec(&txn)
                .await
                .map_err(unavailable)?;
        }
        txn.commit().await.map_err(unavailable)?;
        Ok(known)
    }

    #[tracing::instrument(name = "db.event_receivers.pending", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, otel.status_code = Empty,
    ))]
    async fn pending(
        &self,
        tenant: TenantId,
        receiver: &str,
        limit: u64,
    ) -> DomainResult<(Vec<ChangeEvent>, bool)> {
        let tenant = tenant.0;
        let from: Option<i64> = receivers::Entity::find_by_id((tenant, receiver.to_owned()))
            .select_only()
            .column(receivers::Column::AckedThrough)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        let mut rows = events::Entity::find()
            .filter(events::Column::TenantId.eq(tenant))
            .filter(events::Column::Sequence.gt(from.unwrap_or(0)))
            .filter(unacknowledged(tenant, receiver))
            .order_by_asc(events::Column::Sequence)
            .limit(limit.saturating_add(1))
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let more = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let events = rows
            .into_iter()
            .map(to_domain)
            .collect::<DomainResult<_>>()?;
        Ok((events, more))
    }
}
