//! The per-tenant resource counters behind unfiltered `totalResults`: adjusted inside the
//! transaction that creates or deletes, read as one row.

use scimgate_domain::error::DomainResult;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::entities::resource_counts as rc;
use super::errors::unavailable;

/// Adds `delta` to the tenant's count of `kind`. Called last in a write transaction, so the
/// counter row stays locked for as short a time as possible on PostgreSQL.
pub async fn adjust(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    kind: ResourceKind,
    delta: i64,
) -> DomainResult<()> {
    let row = rc::ActiveModel {
        tenant_id: Set(tenant),
        resource_type: Set(kind.name().to_owned()),
        total: Set(delta),
    };
    let add = Expr::col((rc::Entity, rc::Column::Total))
        .add(Expr::col((Alias::new("excluded"), rc::Column::Total)));
    rc::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([rc::Column::TenantId, rc::Column::ResourceType])
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
    let row = rc::Entity::find_by_id((tenant, kind.name().to_owned()))
        .one(db)
        .await
        .map_err(unavailable)?;
    Ok(row.map_or(0, |r| u64::try_from(r.total).unwrap_or(0)))
}
