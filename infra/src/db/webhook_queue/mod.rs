//! `DeliveryQueue` on sea-orm. Fan-out copies each active endpoint's new events into
//! `webhook_deliveries` (the primary key makes a copy by two replicas at once harmless);
//! `claim` leases due rows so only one replica sends each (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite has one writer, so its UPDATE ... RETURNING is atomic already); a
//! replica that dies mid-delivery leaves a lease that expires and another picks the row up.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::ChangeEvent;
use scimgate_domain::ports::{DeliveryQueue, signing_secrets};
use scimgate_domain::webhook::delivery::{DueDelivery, FinishedAttempt};
use scimgate_domain::webhook::{Webhook, WebhookSecrets};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait, Value,
};
use uuid::Uuid;

use super::entities::{events, tenants, webhook_deliveries as wd, webhooks};
use super::errors::unavailable;
use super::event_repo::to_domain as event_to_domain;
use super::outbox;

mod claim_sql;
mod record;

use super::webhook_repo::{aad, pending_delivery, to_domain};
use crate::sealing::Sealer;
use claim_sql::{PER_ENDPOINT, claim_sql};
use record::finish_row;

/// A row `claim` leased: tenant, endpoint, event sequence, attempts so far, first attempt.
type Leased = (Uuid, Uuid, i64, i32, Option<DateTime<Utc>>);

/// Events one fan-out copies per endpoint; the next round continues.
const FAN_OUT_BATCH: u64 = 1000;

pub struct SqlDeliveryQueue {
    db: DatabaseConnection,
    sealer: Arc<Sealer>,
}

impl SqlDeliveryQueue {
    pub fn new(db: DatabaseConnection, sealer: Arc<Sealer>) -> Self {
        Self { db, sealer }
    }

    async fn fan_out_one(&self, row: &webhooks::Model, now: DateTime<Utc>) -> DomainResult<u64> {
        let webhook = to_domain(row)?;
        let found: Vec<(i64, String)> = events::Entity::find()
            .select_only()
            .column(events::Column::Sequence)
            .column(events::Column::EventType)
            .filter(events::Column::TenantId.eq(row.tenant_id))
            .filter(events::Column::Sequence.gt(row.fanned_out_through))
            .order_by_asc(events::Column::Sequence)
            .limit(FAN_OUT_BATCH)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let Some((last, _)) = found.last().cloned() else {
            return Ok(0);
        };
        let wanted: Vec<i64> = found
            .into_iter()
            .filter(|(_, event_type)| webhook.wants(event_type))
            .map(|(sequence, _)| sequence)
            .collect();
        let txn = self.db.begin().await.map_err(unavailable)?;
        for chunk in wanted.chunks(500) {
            let rows = chunk
                .iter()
                .map(|sequence| pending_delivery(row.tenant_id, row.id, *sequence, now));
            wd::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        wd::Column::TenantId,
                        wd::Column::WebhookId,
                        wd::Column::Sequence,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await
                .map_err(unavailable)?;
        }
        // Only from where this round started: a replica that got here first wins, and the
        // copies above were then no-ops.
        webhooks::Entity::update_many()
            .col_expr(webhooks::Column::FannedOutThrough, Expr::value(last))
            .filter(webhooks::Column::TenantId.eq(row.tenant_id))
            .filter(webhooks::Column::Id.eq(row.id))
            .filter(webhooks::Column::FannedOutThrough.eq(row.fanned_out_through))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        txn.commit().await.map_err(unavailable)?;
        Ok(wanted.len() as u64)
    }

    /// The events of leased rows, one query per tenant.
    async fn events_of(
        &self,
        leased: &[Leased],
    ) -> DomainResult<HashMap<(Uuid, i64), ChangeEvent>> {
        let mut by_tenant: HashMap<Uuid, Vec<i64>> = HashMap::new();
        for (tenant, _, sequence, _, _) in leased {
            by_tenant.entry(*tenant).or_default().push(*sequence);
        }
        let mut found = HashMap::new();
        for (tenant, sequences) in by_tenant {
            let rows = events::Entity::find()
                .filter(events::Column::TenantId.eq(tenant))
                .filter(events::Column::Sequence.is_in(sequences))
                .all(&self.db)
                .await
                .map_err(unavailable)?;
            for row in rows {
                let event = event_to_domain(row)?;
                found.insert((tenant, event.sequence), event);
            }
        }
        Ok(found)
    }

    /// The endpoints of claimed rows with their secrets and tenant slugs, in two queries
    /// however many endpoints a claim spans. A deleted endpoint is missing.
    async fn endpoints(
        &self,
        leased: &[Leased],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<Uuid, (Webhook, WebhookSecrets, String)>> {
        let mut keys: Vec<(Uuid, Uuid)> = leased.iter().map(|l| (l.0, l.1)).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let mut tenant_ids: Vec<Uuid> = keys.iter().map(|(tenant, _)| *tenant).collect();
        tenant_ids.dedup();
        let slugs: HashMap<Uuid, String> = tenants::Entity::find()
            .filter(tenants::Column::Id.is_in(tenant_ids))
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|t| (t.id, t.slug))
            .collect();
        let any_key = keys.iter().fold(Condition::any(), |any, (tenant, id)| {
            any.add(
                Condition::all()
                    .add(webhooks::Column::TenantId.eq(*tenant))
                    .add(webhooks::Column::Id.eq(*id)),
            )
        });
        let rows = webhooks::Entity::find()
            .filter(any_key)
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut found = HashMap::with_capacity(rows.len());
        for row in rows {
            let Some(slug) = slugs.get(&row.tenant_id) else {
                continue;
            };
            let webhook = to_domain(&row)?;
            let open = |sealed: &str| {
                self.sealer
                    .open(sealed, &aad(row.tenant_id, row.id))
                    .map_err(DomainError::unavailable)
            };
            let current = open(&row.secret)?;
            let previous = row.previous_secret.as_deref().map(open).transpose()?;
            let secrets = signing_secrets(&webhook, current, previous, now);
            found.insert(row.id, (webhook, secrets, slug.clone()));
        }
        Ok(found)
    }
}

#[async_trait]
impl DeliveryQueue for SqlDeliveryQueue {
    async fn fan_out(&self, now: DateTime<Utc>) -> DomainResult<u64> {
        // Only numbered events are fanned out: number what committed meanwhile first.
        outbox::sequence_all_pending(&self.db).await?;
        let active = webhooks::Entity::find()
            .filter(webhooks::Column::Status.eq("active"))
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut queued = 0;
        for row in &active {
            queued += self.fan_out_one(row, now).await?;
        }
        Ok(queued)
    }

    async fn claim(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        lease: Duration,
        busy: &[Uuid],
    ) -> DomainResult<Vec<DueDelivery>> {
        let backend = self.db.get_database_backend();
        let lease = chrono::Duration::from_std(lease).map_err(DomainError::unavailable)?;
        let mut values: Vec<Value> = vec![(now + lease).into(), now.into(), now.into()];
        values.extend(busy.iter().map(|id| Value::from(*id)));
        values.push(PER_ENDPOINT.into());
        values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        if backend == DbBackend::Postgres {
            values.push(now.into());
        }
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                claim_sql(backend, busy.len()),
                values,
            ))
            .await
            .map_err(unavailable)?;
        let mut leased = Vec::with_capacity(rows.len());
        for row in rows {
            let tenant: Uuid = row.try_get("", "tenant_id").map_err(unavailable)?;
            let webhook_id: Uuid = row.try_get("", "webhook_id").map_err(unavailable)?;
            let sequence: i64 = row.try_get("", "sequence").map_err(unavailable)?;
            let attempts: i32 = row.try_get("", "attempts").map_err(unavailable)?;
            let first_attempt_at: Option<DateTime<Utc>> =
                row.try_get("", "first_attempt_at").map_err(unavailable)?;
            leased.push((tenant, webhook_id, sequence, attempts, first_attempt_at));
        }
        let events = self.events_of(&leased).await?;
        let endpoints = self.endpoints(&leased, now).await?;
        let mut claimed = Vec::with_capacity(leased.len());
        for (tenant, webhook_id, sequence, attempts, first_attempt_at) in leased {
            // Deleted since it was leased: the lease runs out with nothing to send.
            let Some((webhook, secrets, slug)) = endpoints.get(&webhook_id) else {
                continue;
            };
            let Some(event) = events.get(&(tenant, sequence)) else {
                // Purged past its retention before it could be sent: nothing left to send.
                finish_row(&self.db, tenant, webhook_id, sequence, "failed", None, now).await?;
                continue;
            };
            claimed.push(DueDelivery {
                tenant_slug: slug.clone(),
                webhook: webhook.clone(),
                secrets: secrets.clone(),
                event: event.clone(),
                attempts: u32::try_from(attempts).unwrap_or_default(),
                first_attempt_at,
            });
        }
        Ok(claimed)
    }

    async fn record(&self, attempts: &[FinishedAttempt]) -> DomainResult<()> {
        record::record(&self.db, attempts).await
    }
}
