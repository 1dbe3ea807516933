//! The per-tenant resource counters behind unfiltered `totalResults`, kept exact inside the
//! transaction of every create and delete, and split into shards (`resource_count_shards`): on
//! PostgreSQL a write adds to the shard its resource id falls in, so concurrent creates of one
//! tenant seldom wait on one counter row until the other's commit (a single row made them
//! commit one at a time). SQLite runs one write at a time and keeps everything in shard 0. A
//! total is the sum of the tenant's shards of that type.

use scimgate_domain::error::DomainResult;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use uuid::Uuid;

use super::entities::resource_count_shards as rc;
use super::errors::unavailable;

/// Shards per tenant and type on PostgreSQL: 32 writers in flight rarely meet on one.
const SHARDS: u128 = 64;

/// The shard a change to `resource` adds to (its UUID's random low bits on PostgreSQL).
fn shard(backend: DbBackend, resource: Uuid) -> i16 {
    match backend {
        DbBackend::Postgres => i16::try_from(resource.as_u128() % SHARDS).unwrap_or(0),
        _ => 0,
    }
}

/// Adds `delta` to the tenant's count of `kind`, in the shard of `resource` (the resource
/// created or deleted).
pub async fn adjust(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    kind: ResourceKind,
    resource: Uuid,
    delta: i64,
) -> DomainResult<()> {
    let row = rc::ActiveModel {
        tenant_id: Set(tenant),
        resource_type: Set(kind.name().to_owned()),
        shard: Set(shard(db.get_database_backend(), resource)),
        total: Set(delta),
    };
    let add = Expr::col((rc::Entity, rc::Column::Total))
        .add(Expr::col((Alias::new("excluded"), rc::Column::Total)));
    rc::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                rc::Column::TenantId,
                rc::Column::ResourceType,
                rc::Column::Shard,
            ])
            .value(rc::Column::Total, add)
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// How many resources of `kind` the tenant holds.
pub async fn total(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    kind: ResourceKind,
) -> DomainResult<u64> {
    let backend = db.get_database_backend();
    // PostgreSQL sums a bigint into a numeric: cast back.
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS total FROM resource_count_shards \
             WHERE tenant_id = $1 AND resource_type = $2"
        }
        _ => {
            "SELECT COALESCE(SUM(total), 0) AS total FROM resource_count_shards \
             WHERE tenant_id = ? AND resource_type = ?"
        }
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [tenant.into(), kind.name().into()],
        ))
        .await
        .map_err(unavailable)?;
    let total: i64 = match row {
        Some(row) => row.try_get("", "total").map_err(unavailable)?,
        None => 0,
    };
    Ok(u64::try_from(total).unwrap_or(0))
}
