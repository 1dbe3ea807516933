//! `AuditLog` on sea-orm: an append-only table read newest first by `(tenant_id, at)`.
//! Lost entries are counted (`scimgate.audit.write.failures`), since the caller only logs them;
//! the resource store, which writes a successful write's entry in its transaction
//! (`insert_entry`), counts its losses here too (`lost`).

use async_trait::async_trait;
use opentelemetry::metrics::{Counter, Meter};
use scimgate_domain::audit::{AuditEntry, AuditQuery};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::AuditLog;
use scimgate_domain::tenant::TenantId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tracing::field::Empty;

use super::entities::audit_log::{self, Column};
use super::errors::unavailable;
use super::observe::db_system;

pub struct SqlAuditLog {
    db: DatabaseConnection,
    failures: Counter<u64>,
}

impl SqlAuditLog {
    pub fn new(db: DatabaseConnection, meter: &Meter) -> Self {
        let failures = meter
            .u64_counter("scimgate.audit.write.failures")
            .with_description("Audit entries that could not be stored (the action itself stood)")
            .build();
        Self { db, failures }
    }

    /// Counts and logs an entry that could not be stored (the action itself stood).
    pub fn lost(&self, entry: &AuditEntry, err: &DbErr) {
        self.failures.add(1, &[]);
        tracing::error!(
            error = %err,
            action = %entry.action,
            status = entry.status,
            "audit entry lost"
        );
    }
}

/// Stores `entry` on `db` (a connection or the transaction of the write it records).
pub async fn insert_entry(db: &impl ConnectionTrait, entry: &AuditEntry) -> Result<(), DbErr> {
    audit_log::Entity::insert(entry_row(entry))
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Stores `entries` with multi-row INSERTs (the entries of a batch of writes).
pub async fn insert_entries(
    db: &impl ConnectionTrait,
    entries: &[&AuditEntry],
) -> Result<(), DbErr> {
    // Ten columns a row: far under both databases' bind-parameter limits.
    for chunk in entries.chunks(500) {
        audit_log::Entity::insert_many(chunk.iter().map(|entry| entry_row(entry)))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn entry_row(entry: &AuditEntry) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        tenant_id: Set(entry.tenant_id.0),
        id: Set(entry.id),
        at: Set(entry.at),
        actor: Set(entry.actor.clone()),
        action: Set(entry.action.clone()),
        target_type: Set(entry.target_type.clone()),
        target_id: Set(entry.target_id.clone()),
        status: Set(i16::try_from(entry.status).unwrap_or(i16::MAX)),
        scim_type: Set(entry.scim_type.clone()),
        request_id: Set(entry.request_id.clone()),
    }
}

fn to_domain(row: audit_log::Model) -> DomainResult<AuditEntry> {
    Ok(AuditEntry {
        id: row.id,
        tenant_id: TenantId(row.tenant_id),
        at: row.at,
        actor: row.actor,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        status: u16::try_from(row.status).map_err(DomainError::unavailable)?,
        scim_type: row.scim_type,
        request_id: row.request_id,
    })
}

#[async_trait]
impl AuditLog for SqlAuditLog {
    #[tracing::instrument(name = "db.audit_log.append", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %entry.tenant_id.0, otel.status_code = Empty,
    ))]
    async fn append(&self, entry: &AuditEntry) -> DomainResult<()> {
        if let Err(err) = insert_entry(&self.db, entry).await {
            self.failures.add(1, &[]);
            return Err(unavailable(err));
        }
        Ok(())
    }

    #[tracing::instrument(name = "db.audit_log.list", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, otel.status_code = Empty,
    ))]
    async fn list(&self, tenant: TenantId, query: &AuditQuery) -> DomainResult<Vec<AuditEntry>> {
        let mut select = audit_log::Entity::find().filter(Column::TenantId.eq(tenant.0));
        if let Some(since) = query.since {
            select = select.filter(Column::At.gte(since));
        }
        if let Some(cursor) = query.before {
            select = select.filter(
                Condition::any().add(Column::At.lt(cursor.at)).add(
                    Condition::all()
                        .add(Column::At.eq(cursor.at))
                        .add(Column::Id.lt(cursor.id)),
                ),
            );
        }
        select
            .order_by_desc(Column::At)
            .order_by_desc(Column::Id)
            .limit(query.limit)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }
}
