//! Recording attempts: the delivery log's rows and the delivery rows' new state, a batch of
//! attempts in one transaction.

use chrono::{DateTime, Utc};
use scimgate_domain::error::DomainResult;
use scimgate_domain::webhook::delivery::{FinishedAttempt, NextStep};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, QueryFilter, Statement, TransactionTrait, Value,
};
use uuid::Uuid;

use super::super::entities::{webhook_attempts as wa, webhook_deliveries as wd, webhooks};
use super::super::errors::unavailable;

pub(super) async fn record(
    db: &DatabaseConnection,
    attempts: &[FinishedAttempt],
) -> DomainResult<()> {
    if attempts.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await.map_err(unavailable)?;
    // 11 values a row: far under both backends' bound on bound parameters.
    for chunk in attempts.chunks(ATTEMPT_ROWS_PER_INSERT) {
        wa::Entity::insert_many(chunk.iter().map(attempt_row))
            .exec_without_returning(&txn)
            .await
            .map_err(unavailable)?;
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        for chunk in attempts.chunks(DELIVERY_ROWS_PER_UPDATE) {
            finish_rows_at_once(&txn, chunk).await?;
        }
    } else {
        // SQLite: one writer on a local file, where a statement costs no round trip.
        for attempt in attempts {
            let delivery = &attempt.delivery;
            let (state, retry_at) = row_after(attempt);
            let (tenant, webhook) = (delivery.webhook.tenant_id.0, delivery.webhook.id);
            let sequence = delivery.event.sequence;
            finish_row(&txn, tenant, webhook, sequence, state, retry_at, attempt.at).await?;
        }
    }
    for attempt in attempts {
        if attempt.next == NextStep::DisableEndpoint {
            let webhook = &attempt.delivery.webhook;
            webhooks::Entity::update_many()
                .col_expr(webhooks::Column::Status, Expr::value("disabled"))
                .col_expr(
                    webhooks::Column::DisabledReason,
                    Expr::value(format!(
                        "the endpoint answered 410 Gone at {}",
                        attempt.at.to_rfc3339()
                    )),
                )
                .filter(webhooks::Column::TenantId.eq(webhook.tenant_id.0))
                .filter(webhooks::Column::Id.eq(webhook.id))
                .exec(&txn)
                .await
                .map_err(unavailable)?;
        }
    }
    txn.commit().await.map_err(unavailable)
}

/// Attempt rows one INSERT carries.
const ATTEMPT_ROWS_PER_INSERT: usize = 500;
/// Delivery rows one PostgreSQL UPDATE ends (6 values each).
const DELIVERY_ROWS_PER_UPDATE: usize = 500;

/// `finish_row` for many rows in one statement (PostgreSQL): a batch costs one round trip
/// instead of one per delivery.
async fn finish_rows_at_once(
    txn: &DatabaseTransaction,
    attempts: &[FinishedAttempt],
) -> DomainResult<()> {
    let mut values: Vec<Value> = Vec::with_capacity(attempts.len() * 6);
    let mut rows = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        let delivery = &attempt.delivery;
        let (state, retry_at) = row_after(attempt);
        let n = values.len();
        rows.push(format!(
            "(${}::uuid, ${}::uuid, ${}::bigint, ${}::text, ${}::timestamptz, ${}::timestamptz)",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5,
            n + 6
        ));
        values.extend([
            delivery.webhook.tenant_id.0.into(),
            delivery.webhook.id.into(),
            delivery.event.sequence.into(),
            state.into(),
            attempt.at.into(),
            retry_at.into(),
        ]);
    }
    let sql = format!(
        "UPDATE webhook_deliveries d SET state = v.state, attempts = d.attempts + 1, \
           first_attempt_at = COALESCE(d.first_attempt_at, v.at), lease_until = NULL, \
           next_attempt_at = COALESCE(v.retry_at, d.next_attempt_at) \
         FROM (VALUES {}) AS v(tenant_id, webhook_id, sequence, state, at, retry_at) \
         WHERE d.tenant_id = v.tenant_id AND d.webhook_id = v.webhook_id \
           AND d.sequence = v.sequence",
        rows.join(", ")
    );
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await
    .map_err(unavailable)?;
    Ok(())
}

/// The delivery log's row for an attempt.
fn attempt_row(attempt: &FinishedAttempt) -> wa::ActiveModel {
    let delivery = &attempt.delivery;
    let result = &attempt.result;
    wa::ActiveModel {
        tenant_id: Set(delivery.webhook.tenant_id.0),
        id: Set(Uuid::now_v7()),
        webhook_id: Set(delivery.webhook.id),
        sequence: Set(delivery.event.sequence),
        event_id: Set(delivery.event.event.id),
        attempt: Set(i32::try_from(delivery.attempts + 1).unwrap_or(i32::MAX)),
        at: Set(attempt.at),
        status_code: Set(result.status.map(i32::from)),
        latency_ms: Set(i64::try_from(result.latency.as_millis()).unwrap_or(i64::MAX)),
        error: Set(result.error.clone()),
        outcome: Set(outcome(&attempt.next).to_owned()),
    }
}

/// The log's word for what followed an attempt.
fn outcome(next: &NextStep) -> &'static str {
    match next {
        NextStep::Delivered => "delivered",
        NextStep::RetryAt(_) => "retrying",
        NextStep::GaveUp => "failed",
        NextStep::DisableEndpoint => "disabled",
    }
}

/// The delivery row's state after an attempt, and when to try again. A disabled endpoint's
/// row stays pending, due at once, for a replay after the endpoint is resumed.
fn row_after(attempt: &FinishedAttempt) -> (&'static str, Option<DateTime<Utc>>) {
    match attempt.next {
        NextStep::Delivered => ("delivered", None),
        NextStep::RetryAt(when) => ("pending", Some(when)),
        NextStep::GaveUp => ("failed", None),
        NextStep::DisableEndpoint => ("pending", Some(attempt.at)),
    }
}

/// Ends an attempt on a delivery row: its new state, when to try again, no lease.
pub(super) async fn finish_row(
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
