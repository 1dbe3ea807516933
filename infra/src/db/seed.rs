//! Bulk loading of users for benchmarks and demos: the same rows `SqlResourceStore::insert`
//! writes (resource row with its lowercased lookup columns, version 1, plus every value-index
//! row), but many resources per multi-row INSERT and one transaction per chunk.

use scimgate_domain::resource::stored::ResourceWrite;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait};
use uuid::Uuid;

use super::entities::{resource_values as rv, resources};
use super::new_rows::{RESOURCE_COLUMNS, VALUE_COLUMNS, max_params, resource_row, value_rows};
use super::resource_counts;

/// Inserts `users` (new resources of one tenant, no group members) with multi-row INSERTs,
/// one transaction per chunk of users. A duplicate userName fails its whole chunk.
pub async fn bulk_insert_users(
    db: &DatabaseConnection,
    tenant: TenantId,
    users: &[ResourceWrite],
) -> Result<(), DbErr> {
    if let Some(group) = users.iter().find(|u| u.kind != ResourceKind::User) {
        return Err(DbErr::Custom(format!(
            "bulk_insert_users takes users only; {} is a {}",
            group.id,
            group.kind.name()
        )));
    }
    let limit = max_params(db.get_database_backend());
    let users_per_chunk = limit / RESOURCE_COLUMNS;
    let values_per_statement = limit / VALUE_COLUMNS;
    for chunk in users.chunks(users_per_chunk) {
        let txn = db.begin().await?;
        let rows = chunk
            .iter()
            .map(|u| resources::ActiveModel::from(resource_row(tenant.0, u, u.at)).reset_all());
        resources::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        let values: Vec<rv::ActiveModel> =
            chunk.iter().flat_map(|u| value_rows(tenant.0, u)).collect();
        let mut rest = values.into_iter().peekable();
        while rest.peek().is_some() {
            let batch: Vec<rv::ActiveModel> = rest.by_ref().take(values_per_statement).collect();
            rv::Entity::insert_many(batch)
                .exec_without_returning(&txn)
                .await?;
        }
        let added = i64::try_from(chunk.len()).unwrap_or(i64::MAX);
        let shard_of = chunk.first().map_or(Uuid::nil(), |u| u.id);
        resource_counts::adjust(&txn, tenant.0, ResourceKind::User, shard_of, added)
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
        txn.commit().await?;
    }
    Ok(())
}
