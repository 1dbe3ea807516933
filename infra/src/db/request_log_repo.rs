//! `RequestLogStore` on sea-orm: a batch is one multi-row INSERT; then each tenant of the
//! batch loses its records older than its newest `keep` (one read of the cut-off id by the
//! primary key, one DELETE below it). Replicas pruning at once only delete the same rows.

use std::collections::BTreeSet;
use std::time::Duration;

use async_trait::async_trait;
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::RequestLogStore;
use scimgate_domain::request_log::RequestRecord;
use scimgate_domain::tenant::TenantId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::request_log::{self, Column, Entity};
use super::errors::unavailable;

/// Records a statement: ten columns a row, far under both databases' bind-parameter limits.
const ROWS_PER_INSERT: usize = 500;

pub struct SqlRequestLog {
    db: DatabaseConnection,
}

impl SqlRequestLog {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn prune(&self, tenant: Uuid, keep: u64) -> DomainResult<()> {
        let cut: Option<Uuid> = Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(Column::TenantId.eq(tenant))
            .order_by_desc(Column::Id)
            .offset(keep)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        if let Some(cut) = cut {
            Entity::delete_many()
                .filter(Column::TenantId.eq(tenant))
                .filter(Column::Id.lte(cut))
                .exec(&self.db)
                .await
                .map_err(unavailable)?;
        }
        Ok(())
    }
}

fn row(record: &RequestRecord) -> request_log::ActiveModel {
    request_log::ActiveModel {
        tenant_id: Set(record.tenant_id.0),
        id: Set(record.id),
        at: Set(record.at),
        method: Set(record.method.clone()),
        route: Set(record.route.clone()),
        operation: Set(record.operation.clone()),
        status: Set(i16::try_from(record.status).unwrap_or(i16::MAX)),
        scim_type: Set(record.scim_type.clone()),
        latency_us: Set(i64::try_from(record.latency.as_micros()).unwrap_or(i64::MAX)),
        caller: Set(record.caller.clone()),
    }
}

fn record(model: request_log::Model) -> RequestRecord {
    RequestRecord {
        tenant_id: TenantId(model.tenant_id),
        id: model.id,
        at: model.at,
        method: model.method,
        route: model.route,
        operation: model.operation,
        status: u16::try_from(model.status).unwrap_or(0),
        scim_type: model.scim_type,
        latency: Duration::from_micros(u64::try_from(model.latency_us).unwrap_or(0)),
        caller: model.caller,
    }
}

#[async_trait]
impl RequestLogStore for SqlRequestLog {
    async fn append(&self, records: &[RequestRecord], keep: u64) -> DomainResult<()> {
        for chunk in records.chunks(ROWS_PER_INSERT) {
            Entity::insert_many(chunk.iter().map(row))
                .exec_without_returning(&self.db)
                .await
                .map_err(unavailable)?;
        }
        let tenants: BTreeSet<Uuid> = records.iter().map(|r| r.tenant_id.0).collect();
        for tenant in tenants {
            self.prune(tenant, keep).await?;
        }
        Ok(())
    }

    async fn recent(&self, tenant: TenantId, limit: u64) -> DomainResult<Vec<RequestRecord>> {
        let rows = Entity::find()
            .filter(Column::TenantId.eq(tenant.0))
            .order_by_desc(Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(rows.into_iter().map(record).collect())
    }
}
