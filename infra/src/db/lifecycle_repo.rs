//! Tenants' lifecycle policies, the archive of soft-deleted resources as admins read it, and
//! the purge of those whose retention ended. The purge runs on every replica: each resource
//! is purged by one conditional UPDATE (`purge_after < now`), in a transaction with its event
//! and audit entry, so a replica that comes second changes no row and records nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use moka::future::Cache;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::guard_rails::GuardRails;
use scimgate_domain::lifecycle::{ArchivedResource, DuePurge, LifecyclePolicy};
use scimgate_domain::ports::{ARCHIVE_LISTING_LIMIT, LifecycleStore};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::audit_repo::insert_entry;
use super::entities::{archived_resources as ar, tenant_lifecycle, tenants};
use super::errors::unavailable;
use super::guard_rails::guard_rails;
use super::outbox;
use super::resource_archive::deletion_policy;
use super::resource_rows::micros;

/// Resources one purge pass reads per tenant before it looks again.
const PURGE_BATCH: u64 = 500;
/// How long a replica answers every User write's guard-rail check from memory: a tenant's
/// rules change rarely, and a read per write cost creates and updates a round trip each. A
/// change reaches this replica at once and the others within this time; the seat limit
/// itself is counted in each write's transaction and never read from here.
const RAILS_TTL: Duration = Duration::from_secs(2);
/// Tenants whose rules a replica keeps in memory at most.
const RAILS_CACHED: u64 = 10_000;

pub struct SqlLifecycleStore {
    db: DatabaseConnection,
    rails: Cache<Uuid, GuardRails>,
}

impl SqlLifecycleStore {
    pub fn new(db: DatabaseConnection) -> Self {
        let rails = Cache::builder()
            .max_capacity(RAILS_CACHED)
            .time_to_live(RAILS_TTL)
            .build();
        Self { db, rails }
    }

    /// Purges the tenant's due resources; returns how many this call purged.
    async fn purge_tenant(&self, tenant: Uuid, now: DateTime<Utc>) -> DomainResult<u64> {
        let mut purged = 0;
        loop {
            let due: Vec<(Uuid, String, i64, Option<String>)> = ar::Entity::find()
                .select_only()
                .column(ar::Column::Id)
                .column(ar::Column::ResourceType)
                .column(ar::Column::Version)
                .column(ar::Column::ExternalId)
                .filter(ar::Column::TenantId.eq(tenant))
                .filter(ar::Column::PurgeAfter.lt(now))
                .limit(PURGE_BATCH)
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unavailable)?;
            let full = due.len() as u64 == PURGE_BATCH;
            let mut purged_here = 0;
            for (id, kind, version, external_id) in due {
                let Some(kind) = ResourceKind::parse(&kind) else {
                    continue;
                };
                let due = DuePurge {
                    tenant: TenantId(tenant),
                    id,
                    kind,
                    version,
                    external_id,
                };
                if self.purge_one(&due, now).await? {
                    purged_here += 1;
                }
            }
            purged += purged_here;
            // Another replica purging the same rows leaves this one nothing to do: stop then
            // too, rather than read the same batch again.
            if !full || purged_here == 0 {
                return Ok(purged);
            }
        }
    }

    /// Turns one archived resource into its tombstone, with its event and audit entry;
    /// `false` when another replica did first.
    async fn purge_one(&self, due: &DuePurge, now: DateTime<Utc>) -> DomainResult<bool> {
        let at = micros(now);
        let txn = self.db.begin().await.map_err(unavailable)?;
        let emptied = ar::Entity::update_many()
            .col_expr(
                ar::Column::Document,
                Expr::value(Option::<serde_json::Value>::None),
            )
            .col_expr(
                ar::Column::PasswordHash,
                Expr::value(Option::<String>::None),
            )
            .col_expr(ar::Column::ExternalId, Expr::value(Option::<String>::None))
            .col_expr(ar::Column::Display, Expr::value(Option::<String>::None))
            .col_expr(
                ar::Column::GroupIds,
                Expr::value(Option::<serde_json::Value>::None),
            )
            .col_expr(
                ar::Column::MemberIds,
                Expr::value(Option::<serde_json::Value>::None),
            )
            .col_expr(
                ar::Column::PurgeAfter,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(ar::Column::PurgedAt, Expr::value(Some(at)))
            .filter(ar::Column::TenantId.eq(due.tenant.0))
            .filter(ar::Column::Id.eq(due.id))
            .filter(ar::Column::PurgeAfter.lt(now))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        if emptied.rows_affected == 0 {
            txn.rollback().await.map_err(unavailable)?;
            return Ok(false);
        }
        let (event, entry) = due.records(at);
        outbox::record(&txn, due.tenant.0, vec![event]).await?;
        insert_entry(&txn, &entry).await.map_err(unavailable)?;
        txn.commit().await.map_err(unavailable)?;
        Ok(true)
    }
}

fn archived(row: ar::Model) -> DomainResult<ArchivedResource> {
    let kind = ResourceKind::parse(&row.resource_type).ok_or_else(|| {
        DomainError::unavailable(sea_orm::DbErr::Type(format!(
            "archived resource of unknown type '{}'",
            row.resource_type
        )))
    })?;
    let document = match row.document {
        Some(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    };
    Ok(ArchivedResource {
        id: row.id,
        kind,
        version: row.version,
        created: row.created,
        deleted_at: row.deleted_at,
        purge_after: row.purge_after,
        purged_at: row.purged_at,
        display: row.display,
        external_id: row.external_id,
        document,
    })
}

#[async_trait::async_trait]
impl LifecycleStore for SqlLifecycleStore {
    async fn policy(&self, tenant: TenantId) -> DomainResult<LifecyclePolicy> {
        Ok(LifecyclePolicy {
            deletion: deletion_policy(&self.db, tenant.0).await?,
            guard_rails: guard_rails(&self.db, tenant.0).await?,
        })
    }

    async fn guard_rails(&self, tenant: TenantId) -> DomainResult<GuardRails> {
        if let Some(rails) = self.rails.get(&tenant.0).await {
            return Ok(rails);
        }
        let rails = guard_rails(&self.db, tenant.0).await?;
        self.rails.insert(tenant.0, rails.clone()).await;
        Ok(rails)
    }

    async fn set_policy(
        &self,
        tenant: TenantId,
        policy: &LifecyclePolicy,
        at: DateTime<Utc>,
    ) -> DomainResult<()> {
        let days = policy
            .deletion
            .retention_days()
            .map(|d| i32::try_from(d).unwrap_or(i32::MAX));
        let row = tenant_lifecycle::ActiveModel {
            tenant_id: Set(tenant.0),
            deletion: Set(policy.deletion.name().to_owned()),
            retention_days: Set(days),
            updated: Set(micros(at)),
            verified_domains: Set(Some(serde_json::json!(policy.guard_rails.verified_domains))),
            seat_limit: Set(policy
                .guard_rails
                .seat_limit
                .map(|l| i64::try_from(l).unwrap_or(i64::MAX))),
        };
        tenant_lifecycle::Entity::insert(row)
            .on_conflict(
                OnConflict::column(tenant_lifecycle::Column::TenantId)
                    .update_columns([
                        tenant_lifecycle::Column::Deletion,
                        tenant_lifecycle::Column::RetentionDays,
                        tenant_lifecycle::Column::Updated,
                        tenant_lifecycle::Column::VerifiedDomains,
                        tenant_lifecycle::Column::SeatLimit,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(unavailable)?;
        self.rails.invalidate(&tenant.0).await;
        Ok(())
    }

    async fn archived(&self, tenant: TenantId) -> DomainResult<Vec<ArchivedResource>> {
        ar::Entity::find()
            .filter(ar::Column::TenantId.eq(tenant.0))
            .filter(ar::Column::PurgedAt.is_null())
            .order_by_desc(ar::Column::DeletedAt)
            .order_by_desc(ar::Column::Id)
            .limit(ARCHIVE_LISTING_LIMIT)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(archived)
            .collect()
    }

    async fn archived_one(
        &self,
        tenant: TenantId,
        id: Uuid,
    ) -> DomainResult<Option<ArchivedResource>> {
        ar::Entity::find_by_id((tenant.0, id))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(archived)
            .transpose()
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> DomainResult<u64> {
        // Tenant by tenant, so each lookup is a range of the (tenant_id, purge_after) index.
        let tenants: Vec<Uuid> = tenants::Entity::find()
            .select_only()
            .column(tenants::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut purged = 0;
        for tenant in tenants {
            purged += self.purge_tenant(tenant, now).await?;
        }
        Ok(purged)
    }
}
