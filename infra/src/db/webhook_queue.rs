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
use scimgate_domain::webhook::delivery::{DueDelivery, NextStep, SendResult};
use scimgate_domain::webhook::{Webhook, WebhookSecrets};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait, Value,
};
use uuid::Uuid;

use super::entities::{
    events, tenants, webhook_attempts as wa, webhook_deliveries as wd, webhooks,
};
use super::errors::unavailable;
use super::event_repo::to_domain as event_to_domain;
use super::outbox;
use super::webhook_repo::{aad, to_domain};
use crate::sealing::Sealer;

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
            let rows = chunk.iter().map(|sequence| wd::ActiveModel {
                tenant_id: Set(row.tenant_id),
                webhook_id: Set(row.id),
                sequence: Set(*sequence),
                state: Set("pending".into()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                first_attempt_at: Set(None),
                lease_until: Set(None),
            });
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

    /// The endpoint of a claimed row with its secrets, once per endpoint and claim.
    async fn endpoint(
        &self,
        tenant: Uuid,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<(Webhook, WebhookSecrets, String)>> {
        let Some(row) = webhooks::Entity::find_by_id((tenant, id))
            .one(&self.db)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let Some(slug) = tenants::Entity::find_by_id(tenant)
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(|t| t.slug)
        else {
            return Ok(None);
        };
        let webhook = to_domain(&row)?;
        let open = |sealed: &str| {
            self.sealer
                .open(sealed, &aad(tenant, id))
                .map_err(DomainError::unavailable)
        };
        let current = open(&row.secret)?;
        let previous = row.previous_secret.as_deref().map(open).transpose()?;
        let secrets = signing_secrets(&webhook, current, previous, now);
        Ok(Some((webhook, secrets, slug)))
    }
}

/// Most deliveries of one endpoint a claim leases: a slow endpoint cannot take every slot.
const PER_ENDPOINT: i64 = 16;

/// The statement leasing due rows, with `$n`/`?` placeholders for the backend: the oldest
/// due rows of active endpoints, at most `PER_ENDPOINT` per endpoint (a window function,
/// which `FOR UPDATE` cannot share a query with, hence the extra level on PostgreSQL).
fn claim_sql(backend: DbBackend, busy: usize) -> String {
    let mut n = 0;
    let mut next = || match backend {
        DbBackend::Postgres => {
            n += 1;
            format!("${n}")
        }
        _ => "?".to_owned(),
    };
    let (lease_until, now_1, now_2) = (next(), next(), next());
    let excluded: Vec<String> = (0..busy).map(|_| next()).collect();
    let (per, limit) = (next(), next());
    // PostgreSQL only (see below): the lease check again, on the locked row.
    let now_3 = next();
    let not_busy = if excluded.is_empty() {
        String::new()
    } else {
        format!(" AND d.webhook_id NOT IN ({})", excluded.join(", "))
    };
    let due = format!(
        "SELECT tenant_id, webhook_id, sequence FROM ( \
           SELECT d.tenant_id, d.webhook_id, d.sequence, d.next_attempt_at, ROW_NUMBER() OVER \
             (PARTITION BY d.tenant_id, d.webhook_id ORDER BY d.next_attempt_at, d.sequence) AS rn \
           FROM webhook_deliveries d \
           WHERE d.state = 'pending' AND d.next_attempt_at <= {now_1} \
           AND (d.lease_until IS NULL OR d.lease_until < {now_2}){not_busy} \
           AND EXISTS (SELECT 1 FROM webhooks w WHERE w.tenant_id = d.tenant_id \
                       AND w.id = d.webhook_id AND w.status = 'active')) ranked \
         WHERE rn <= {per} ORDER BY next_attempt_at LIMIT {limit}"
    );
    let keys = "(tenant_id, webhook_id, sequence)";
    let returning =
        "RETURNING w.tenant_id, w.webhook_id, w.sequence, w.attempts, w.first_attempt_at";
    match backend {
        // Materialized, so the plan cannot depend on statistics: without it, on a table never
        // analyzed, the planner re-ran the locking subquery once per queued row (6.5 s for
        // 1 000 queued deliveries). `due` is read before the locks are taken, so the locking
        // query checks the lease again: a row another replica leased and committed meanwhile
        // is re-read there and dropped, never leased twice.
        DbBackend::Postgres => format!(
            "WITH due AS MATERIALIZED ({due}), \
             leased AS MATERIALIZED ( \
               SELECT d.tenant_id, d.webhook_id, d.sequence FROM webhook_deliveries d \
               JOIN due ON d.tenant_id = due.tenant_id AND d.webhook_id = due.webhook_id \
                 AND d.sequence = due.sequence \
               WHERE d.state = 'pending' AND (d.lease_until IS NULL OR d.lease_until < {now_3}) \
               FOR UPDATE OF d SKIP LOCKED) \
             UPDATE webhook_deliveries w SET lease_until = {lease_until} FROM leased \
             WHERE w.tenant_id = leased.tenant_id AND w.webhook_id = leased.webhook_id \
               AND w.sequence = leased.sequence {returning}"
        ),
        _ => format!(
            "UPDATE webhook_deliveries SET lease_until = {lease_until} WHERE {keys} IN ({due}) \
             RETURNING tenant_id, webhook_id, sequence, attempts, first_attempt_at"
        ),
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
        let mut endpoints = HashMap::new();
        let mut claimed = Vec::with_capacity(leased.len());
        for (tenant, webhook_id, sequence, attempts, first_attempt_at) in leased {
            if let std::collections::hash_map::Entry::Vacant(slot) = endpoints.entry(webhook_id) {
                slot.insert(self.endpoint(tenant, webhook_id, now).await?);
            }
            let Some(Some((webhook, secrets, slug))) = endpoints.get(&webhook_id) else {
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

    async fn finish(
        &self,
        delivery: &DueDelivery,
        at: DateTime<Utc>,
        result: &SendResult,
        next: &NextStep,
    ) -> DomainResult<()> {
        let tenant = delivery.webhook.tenant_id.0;
        let webhook = delivery.webhook.id;
        let sequence = delivery.event.sequence;
        let (state, retry_at, outcome) = match next {
            NextStep::Delivered => ("delivered", None, "delivered"),
            NextStep::RetryAt(when) => ("pending", Some(*when), "retrying"),
            NextStep::GaveUp => ("failed", None, "failed"),
            NextStep::DisableEndpoint => ("pending", Some(at), "disabled"),
        };
        let txn = self.db.begin().await.map_err(unavailable)?;
        wa::Entity::insert(wa::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(Uuid::now_v7()),
            webhook_id: Set(webhook),
            sequence: Set(sequence),
            event_id: Set(delivery.event.event.id),
            attempt: Set(i32::try_from(delivery.attempts + 1).unwrap_or(i32::MAX)),
            at: Set(at),
            status_code: Set(result.status.map(i32::from)),
            latency_ms: Set(i64::try_from(result.latency.as_millis()).unwrap_or(i64::MAX)),
            error: Set(result.error.clone()),
            outcome: Set(outcome.to_owned()),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(unavailable)?;
        finish_row(&txn, tenant, webhook, sequence, state, retry_at, at).await?;
        if *next == NextStep::DisableEndpoint {
            webhooks::Entity::update_many()
                .col_expr(webhooks::Column::Status, Expr::value("disabled"))
                .col_expr(
                    webhooks::Column::DisabledReason,
                    Expr::value(format!(
                        "the endpoint answered 410 Gone at {}",
                        at.to_rfc3339()
                    )),
                )
                .filter(webhooks::Column::TenantId.eq(tenant))
                .filter(webhooks::Column::Id.eq(webhook))
                .exec(&txn)
                .await
                .map_err(unavailable)?;
        }
        txn.commit().await.map_err(unavailable)
    }
}

/// Ends an attempt on a delivery row: its new state, when to try again, no lease.
async fn finish_row(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    webhook: Uuid,
    sequence: i64,
    state: &str,
    retry_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    let mut update = wd::Entity::update_many()
        .col_expr(wd::Column::State, Expr::value(state))
        .col_expr(wd::Column::Attempts, Expr::col(wd::Column::Attempts).add(1))
        .col_expr(
            wd::Column::FirstAttemptAt,
            Expr::col(wd::Column::FirstAttemptAt).if_null(at),
        )
        .col_expr(
            wd::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    if let Some(when) = retry_at {
        update = update.col_expr(wd::Column::NextAttemptAt, Expr::value(when));
    }
    update
        .filter(wd::Column::TenantId.eq(tenant))
        .filter(wd::Column::WebhookId.eq(webhook))
        .filter(wd::Column::Sequence.eq(sequence))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}
