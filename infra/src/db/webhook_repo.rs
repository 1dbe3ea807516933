//! `WebhookStore` on sea-orm: endpoints with their sealed secrets, the delivery log, replays.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::Variant;
use scimgate_domain::oauth::trusted_issuer::Registrar;
use scimgate_domain::ports::WebhookStore;
use scimgate_domain::tenant::TenantId;
use scimgate_domain::webhook::delivery::{DeliveryAttempt, ReplayRange};
use scimgate_domain::webhook::{Webhook, WebhookFormat, WebhookStatus};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::entities::{events, webhook_attempts as wa, webhook_deliveries as wd, webhooks};
use super::errors::unavailable;
use super::outbox;
use crate::sealing::Sealer;

pub struct SqlWebhookStore {
    db: DatabaseConnection,
    sealer: Arc<Sealer>,
}

impl SqlWebhookStore {
    pub fn new(db: DatabaseConnection, sealer: Arc<Sealer>) -> Self {
        Self { db, sealer }
    }

    /// Seals the signing secrets stored plain or under a previous secrets key; how many.
    pub async fn reseal(&self) -> DomainResult<usize> {
        let rows = webhooks::Entity::find()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut sealed = 0;
        for row in rows {
            let aad = aad(row.tenant_id, row.id);
            let reseal = |stored: &str| {
                self.sealer
                    .resealed(stored, &aad)
                    .map_err(DomainError::unavailable)
            };
            let current = reseal(&row.secret)?;
            let previous = row
                .previous_secret
                .as_deref()
                .map(reseal)
                .transpose()?
                .flatten();
            if current.is_none() && previous.is_none() {
                continue;
            }
            let mut update = webhooks::Entity::update_many();
            if let Some(value) = current {
                update = update.col_expr(webhooks::Column::Secret, Expr::value(value));
                sealed += 1;
            }
            if let Some(value) = previous {
                update = update.col_expr(webhooks::Column::PreviousSecret, Expr::value(value));
                sealed += 1;
            }
            update
                .filter(webhooks::Column::TenantId.eq(row.tenant_id))
                .filter(webhooks::Column::Id.eq(row.id))
                .exec(&self.db)
                .await
                .map_err(unavailable)?;
        }
        Ok(sealed)
    }
}

/// What a sealed secret is bound to, so it cannot be moved to another endpoint's row.
pub(super) fn aad(tenant: Uuid, id: Uuid) -> String {
    format!("webhook:{tenant}:{id}")
}

fn corrupt(what: &str) -> DomainError {
    DomainError::unavailable(std::io::Error::other(format!("webhooks: {what}")))
}

/// A delivery row due at `now`, never attempted: what fan-out and replay queue.
pub(super) fn pending_delivery(
    tenant: Uuid,
    webhook: Uuid,
    sequence: i64,
    now: DateTime<Utc>,
) -> wd::ActiveModel {
    wd::ActiveModel {
        tenant_id: Set(tenant),
        webhook_id: Set(webhook),
        sequence: Set(sequence),
        state: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        first_attempt_at: Set(None),
        lease_until: Set(None),
    }
}

pub(super) fn to_domain(row: &webhooks::Model) -> DomainResult<Webhook> {
    let variant = match row.variant.as_str() {
        "notice" => Variant::Notice,
        _ => Variant::Full,
    };
    let registered_by = match row.registered_by.as_str() {
        "tenant" => Registrar::Tenant,
        _ => Registrar::Operator,
    };
    Ok(Webhook {
        id: row.id,
        tenant_id: TenantId(row.tenant_id),
        url: row.url.clone(),
        events: row
            .event_types
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        format: WebhookFormat::parse(&row.format).ok_or_else(|| corrupt("unknown format"))?,
        variant,
        status: WebhookStatus::parse(&row.status).ok_or_else(|| corrupt("unknown status"))?,
        disabled_reason: row.disabled_reason.clone(),
        registered_by,
        previous_secret_until: row.previous_secret_until,
        created: row.created_at,
    })
}

fn variant_name(variant: Variant) -> &'static str {
    match variant {
        Variant::Full => "full",
        Variant::Notice => "notice",
    }
}

#[async_trait]
impl WebhookStore for SqlWebhookStore {
    async fn insert(&self, webhook: &Webhook, secret: &str) -> DomainResult<()> {
        let tenant = webhook.tenant_id.0;
        let sealed = self
            .sealer
            .seal(secret, &aad(tenant, webhook.id))
            .map_err(DomainError::unavailable)?;
        let row = webhooks::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(webhook.id),
            url: Set(webhook.url.clone()),
            event_types: Set(webhook.events.join(",")),
            format: Set(webhook.format.as_str().to_owned()),
            variant: Set(variant_name(webhook.variant).to_owned()),
            status: Set(webhook.status.as_str().to_owned()),
            disabled_reason: Set(None),
            registered_by: Set(webhook.registered_by.as_str().to_owned()),
            secret: Set(sealed),
            previous_secret: Set(None),
            previous_secret_until: Set(None),
            // Events from now on: an endpoint is not flooded with the tenant's history.
            fanned_out_through: Set(outbox::head(&self.db, tenant).await?),
            created_at: Set(webhook.created),
        };
        webhooks::Entity::insert(row)
            .exec_without_returning(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<Webhook>> {
        webhooks::Entity::find()
            .filter(webhooks::Column::TenantId.eq(tenant.0))
            .order_by_asc(webhooks::Column::Id)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .iter()
            .map(to_domain)
            .collect()
    }

    async fn find(&self, tenant: TenantId, id: Uuid) -> DomainResult<Option<Webhook>> {
        webhooks::Entity::find_by_id((tenant.0, id))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .as_ref()
            .map(to_domain)
            .transpose()
    }

    async fn update(&self, webhook: &Webhook) -> DomainResult<bool> {
        let updated = webhooks::Entity::update_many()
            .col_expr(webhooks::Column::Url, Expr::value(webhook.url.clone()))
            .col_expr(
                webhooks::Column::EventTypes,
                Expr::value(webhook.events.join(",")),
            )
            .col_expr(
                webhooks::Column::Format,
                Expr::value(webhook.format.as_str()),
            )
            .col_expr(
                webhooks::Column::Variant,
                Expr::value(variant_name(webhook.variant)),
            )
            .col_expr(
                webhooks::Column::Status,
                Expr::value(webhook.status.as_str()),
            )
            .col_expr(
                webhooks::Column::DisabledReason,
                Expr::value(webhook.disabled_reason.clone()),
            )
            .col_expr(
                webhooks::Column::RegisteredBy,
                Expr::value(webhook.registered_by.as_str()),
            )
            .filter(webhooks::Column::TenantId.eq(webhook.tenant_id.0))
            .filter(webhooks::Column::Id.eq(webhook.id))
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(updated.rows_affected == 1)
    }

    async fn rotate_secret(
        &self,
        tenant: TenantId,
        id: Uuid,
        secret: &str,
        previous_until: DateTime<Utc>,
    ) -> DomainResult<bool> {
        let sealed = self
            .sealer
            .seal(secret, &aad(tenant.0, id))
            .map_err(DomainError::unavailable)?;
        // One statement (SET reads the row as it was), not a read then a write: on SQLite a
        // transaction that read first cannot wait for the write lock and fails with
        // "database is locked" when another writer holds it.
        let updated = webhooks::Entity::update_many()
            .col_expr(webhooks::Column::Secret, Expr::value(sealed))
            .col_expr(
                webhooks::Column::PreviousSecret,
                Expr::col(webhooks::Column::Secret),
            )
            .col_expr(
                webhooks::Column::PreviousSecretUntil,
                Expr::value(previous_until),
            )
            .filter(webhooks::Column::TenantId.eq(tenant.0))
            .filter(webhooks::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(updated.rows_affected == 1)
    }

    async fn delete(&self, tenant: TenantId, id: Uuid) -> DomainResult<bool> {
        let txn = self.db.begin().await.map_err(unavailable)?;
        wd::Entity::delete_many()
            .filter(wd::Column::TenantId.eq(tenant.0))
            .filter(wd::Column::WebhookId.eq(id))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        wa::Entity::delete_many()
            .filter(wa::Column::TenantId.eq(tenant.0))
            .filter(wa::Column::WebhookId.eq(id))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        let deleted = webhooks::Entity::delete_many()
            .filter(webhooks::Column::TenantId.eq(tenant.0))
            .filter(webhooks::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        txn.commit().await.map_err(unavailable)?;
        Ok(deleted.rows_affected == 1)
    }

    async fn attempts(
        &self,
        tenant: TenantId,
        id: Uuid,
        limit: u64,
    ) -> DomainResult<Vec<DeliveryAttempt>> {
        let rows = wa::Entity::find()
            .filter(wa::Column::TenantId.eq(tenant.0))
            .filter(wa::Column::WebhookId.eq(id))
            .order_by_desc(wa::Column::At)
            .order_by_desc(wa::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(rows
            .into_iter()
            .map(|row| DeliveryAttempt {
                event_id: row.event_id,
                sequence: row.sequence,
                attempt: u32::try_from(row.attempt).unwrap_or_default(),
                at: row.at,
                status: row.status_code.and_then(|s| u16::try_from(s).ok()),
                latency_ms: u64::try_from(row.latency_ms).unwrap_or_default(),
                error: row.error,
                outcome: row.outcome,
            })
            .collect())
    }

    async fn replay(
        &self,
        webhook: &Webhook,
        range: ReplayRange,
        now: DateTime<Utc>,
    ) -> DomainResult<u64> {
        let tenant = webhook.tenant_id.0;
        let mut select = events::Entity::find()
            .select_only()
            .column(events::Column::Sequence)
            .column(events::Column::EventType)
            .filter(events::Column::TenantId.eq(tenant))
            .filter(events::Column::Sequence.is_not_null());
        select = match range {
            ReplayRange::Sequence(sequence) => select.filter(events::Column::Sequence.eq(sequence)),
            ReplayRange::Time { since, until } => select
                .filter(events::Column::OccurredAt.gte(since))
                .filter(events::Column::OccurredAt.lt(until)),
        };
        let found: Vec<(i64, String)> = select
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let wanted: Vec<i64> = found
            .into_iter()
            .filter(|(_, event_type)| webhook.wants(event_type))
            .map(|(sequence, _)| sequence)
            .collect();
        for chunk in wanted.chunks(500) {
            let rows = chunk
                .iter()
                .map(|sequence| pending_delivery(tenant, webhook.id, *sequence, now));
            wd::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        wd::Column::TenantId,
                        wd::Column::WebhookId,
                        wd::Column::Sequence,
                    ])
                    .update_columns([
                        wd::Column::State,
                        wd::Column::Attempts,
                        wd::Column::NextAttemptAt,
                        wd::Column::FirstAttemptAt,
                        wd::Column::LeaseUntil,
                    ])
                    .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(unavailable)?;
        }
        Ok(wanted.len() as u64)
    }
}
