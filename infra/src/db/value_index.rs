//! Writing the value index rows of one resource, inside the caller's transaction.

use scimgate_domain::error::DomainResult;
use scimgate_domain::resource::searchable::SearchValue;
use scimgate_domain::resource::stored::ResourceWrite;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::resource_values as rv;
use super::errors::unavailable;
use super::new_rows::{VALUE_COLUMNS, max_params, value_rows};

/// Rows per multi-row INSERT (7 columns each), well under the bind-parameter limits.
const CHUNK: usize = 500;

/// Replaces every index row of the resource with `values`.
pub async fn replace_values(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    resource: Uuid,
    values: &[SearchValue],
) -> DomainResult<()> {
    rv::Entity::delete_many()
        .filter(rv::Column::TenantId.eq(tenant))
        .filter(rv::Column::ResourceId.eq(resource))
        .exec(db)
        .await
        .map_err(unavailable)?;
    insert_values(db, tenant, resource, values).await
}

pub async fn insert_values(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    resource: Uuid,
    values: &[SearchValue],
) -> DomainResult<()> {
    for chunk in values.chunks(CHUNK) {
        let rows = chunk.iter().map(|v| rv::ActiveModel {
            tenant_id: Set(tenant),
            resource_id: Set(resource),
            attr_path: Set(v.path.clone()),
            element: Set(v.element),
            is_primary: Set(v.primary),
            value_norm: Set(v.norm.clone()),
            value_num: Set(v.num),
        });
        rv::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await
            .map_err(unavailable)?;
    }
    Ok(())
}

/// The index rows of several new or rewritten resources, in as few INSERTs as the backend's
/// bind-parameter limit allows.
pub async fn insert_values_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    writes: impl IntoIterator<Item = &ResourceWrite>,
) -> DomainResult<()> {
    let per_statement = max_params(db.get_database_backend()) / VALUE_COLUMNS;
    let rows: Vec<rv::ActiveModel> = writes
        .into_iter()
        .flat_map(|write| value_rows(tenant, write))
        .collect();
    for chunk in rows.chunks(per_statement) {
        rv::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await
            .map_err(unavailable)?;
    }
    Ok(())
}
