//! The rows a new resource is stored as: its `resources` row (version 1, with lowercased copies
//! of the columns lookups compare) and its value-index rows. A single create, a Bulk batch and
//! the benchmark seeder all write exactly these.

use chrono::{DateTime, Utc};
use scimgate_domain::resource::stored::ResourceWrite;
use sea_orm::ActiveValue::Set;
use sea_orm::DbBackend;
use uuid::Uuid;

use super::document_writes::lower;
use super::entities::{resource_values as rv, resources};

/// Columns of one `resources` row and of one `resource_values` row.
pub const RESOURCE_COLUMNS: usize = 12;
pub const VALUE_COLUMNS: usize = 7;

/// Bind parameters one statement may carry.
pub fn max_params(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_535,
        // SQLITE_MAX_VARIABLE_NUMBER of every SQLite since 3.32.
        _ => 32_766,
    }
}

/// The `resources` row of `write`, created and last modified `at`.
pub fn resource_row(tenant: Uuid, write: &ResourceWrite, at: DateTime<Utc>) -> resources::Model {
    resources::Model {
        tenant_id: tenant,
        id: write.id,
        resource_type: write.kind.name().to_owned(),
        version: 1,
        created: at,
        last_modified: at,
        document: serde_json::Value::Object(write.document.clone()),
        user_name_ci: lower(&write.indexed.user_name),
        external_id: write.indexed.external_id.clone(),
        display_name_ci: lower(&write.indexed.display_name),
        display: write.indexed.display.clone(),
        password_hash: write.password_hash.clone(),
    }
}

/// The value-index rows of `write`.
pub fn value_rows(
    tenant: Uuid,
    write: &ResourceWrite,
) -> impl Iterator<Item = rv::ActiveModel> + '_ {
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
