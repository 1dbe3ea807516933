//! Bulk loading of users for benchmarks and demos: the same rows `SqlResourceStore::insert`
//! writes (resource row with its lowercased lookup columns, version 1, plus every value-index
//! row), but many resources per multi-row INSERT and one transaction per chunk.

use scimgate_domain::resource::stored::ResourceWrite;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DbBackend, DbErr, EntityTrait, TransactionTrait,
};
use uuid::Uuid;

use super::entities::{resource_values as rv, resources};
use super::resource_counts;

/// Columns of one `resources` row and of one `resource_values` row.
const RESOURCE_COLUMNS: usize = 12;
const VALUE_COLUMNS: usize = 7;

/// Bind parameters one statement may carry.
fn max_params(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_535,
        // SQLITE_MAX_VARIABLE_NUMBER of every SQLite since 3.32.
        _ => 32_766,
    }
}

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
        resources::Entity::insert_many(chunk.iter().map(|u| resource_row(tenant.0, u)))
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

fn lower(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::to_lowercase)
}

fn resource_row(tenant: Uuid, write: &ResourceWrite) -> resources::ActiveModel {
    resources::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(write.id),
        resource_type: Set(write.kind.name().to_owned()),
        version: Set(1),
        created: Set(write.at),
        last_modified: Set(write.at),
        document: Set(serde_json::Value::Object(write.document.clone())),
        user_name_ci: Set(lower(&write.indexed.user_name)),
        external_id: Set(write.indexed.external_id.clone()),
        display_name_ci: Set(lower(&write.indexed.display_name)),
        display: Set(write.indexed.display.clone()),
        password_hash: Set(write.password_hash.clone()),
    }
}

fn value_rows(tenant: Uuid, write: &ResourceWrite) -> impl Iterator<Item = rv::ActiveModel> + '_ {
    write.values.iter().map(move |v| rv::ActiveModel {
        tenant_id: Set(tenant),
        resource_id: Set(write.id),
        attr_path: Set(v.path.clone()),
        element: Set(v.element),
        is_primary: Set(v.primary),
        value_norm: Set(v.norm.clone()),
        value_num: Set(v.num),
    })
}
