//! Writing a resource row in place: the document with its column copies under a version
//! check, or a bare version bump for edits that commute (taken after a lock, only when they
//! changed something).

use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::resource::stored::ResourceWrite;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::entities::resources;
use super::errors::{on_write, unavailable};
use super::membership::member_gone;

pub(super) fn lower(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::to_lowercase)
}

pub(super) fn uniqueness_error(write: &ResourceWrite) -> DomainError {
    match &write.indexed.user_name {
        Some(name) => DomainError::Uniqueness(format!("userName '{name}' is already taken")),
        None => DomainError::Uniqueness("a unique value is already taken".into()),
    }
}

/// Writes a new document and its column copies if the version is still `expected_version`;
/// returns the number of rows changed (0 or 1).
pub(super) async fn update_document(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    write: &ResourceWrite,
    expected_version: i64,
) -> DomainResult<u64> {
    let mut update = resources::Entity::update_many()
        .col_expr(
            resources::Column::Version,
            Expr::value(expected_version + 1),
        )
        .col_expr(resources::Column::LastModified, Expr::value(write.at))
        .col_expr(
            resources::Column::Document,
            Expr::value(serde_json::Value::Object(write.document.clone())),
        )
        .col_expr(
            resources::Column::UserNameCi,
            Expr::value(lower(&write.indexed.user_name)),
        )
        .col_expr(
            resources::Column::ExternalId,
            Expr::value(write.indexed.external_id.clone()),
        )
        .col_expr(
            resources::Column::DisplayNameCi,
            Expr::value(lower(&write.indexed.display_name)),
        )
        .col_expr(
            resources::Column::Display,
            Expr::value(write.indexed.display.clone()),
        );
    if let Some(hash) = &write.password_hash {
        update = update.col_expr(resources::Column::PasswordHash, Expr::value(hash.clone()));
    }
    let updated = update
        .filter(resources::Column::TenantId.eq(tenant))
        .filter(resources::Column::Id.eq(write.id))
        .filter(resources::Column::ResourceType.eq(write.kind.name()))
        .filter(resources::Column::Version.eq(expected_version))
        .exec(db)
        .await
        .map_err(|err| on_write(err, || uniqueness_error(write), member_gone))?;
    Ok(updated.rows_affected)
}

/// `version = version + 1` whatever it was: for writes that commute, like member edits.
pub(super) async fn bump_version(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    kind: ResourceKind,
    id: Uuid,
    at: DateTime<Utc>,
) -> DomainResult<u64> {
    let updated = resources::Entity::update_many()
        .col_expr(
            resources::Column::Version,
            Expr::col(resources::Column::Version).add(1),
        )
        .col_expr(resources::Column::LastModified, Expr::value(at))
        .filter(resources::Column::TenantId.eq(tenant))
        .filter(resources::Column::Id.eq(id))
        .filter(resources::Column::ResourceType.eq(kind.name()))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(updated.rows_affected)
}

/// Takes the row for the rest of the transaction without changing it; 0 when there is none.
/// An update to the same value takes PostgreSQL's row lock and SQLite's write lock at once: a
/// transaction that reads first and writes later could meet `SQLITE_BUSY` instead of waiting.
pub(super) async fn lock_row(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    kind: ResourceKind,
    id: Uuid,
) -> DomainResult<u64> {
    let locked = resources::Entity::update_many()
        .col_expr(
            resources::Column::Version,
            Expr::col(resources::Column::Version),
        )
        .filter(resources::Column::TenantId.eq(tenant))
        .filter(resources::Column::Id.eq(id))
        .filter(resources::Column::ResourceType.eq(kind.name()))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(locked.rows_affected)
}

pub(super) async fn current_version(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> DomainResult<i64> {
    resources::Entity::find_by_id((tenant, id))
        .select_only()
        .column(resources::Column::Version)
        .into_tuple::<i64>()
        .one(db)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| DomainError::unavailable(sea_orm::DbErr::RecordNotFound("resource".into())))
}
