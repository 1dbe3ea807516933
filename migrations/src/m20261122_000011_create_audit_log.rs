use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row per admin action or SCIM write: ids, action and outcome only, never values.
/// `(tenant_id, id)` is the key and `(tenant_id, at)` serves the newest-first pages.
///
/// The same release makes `/Bulk` need the new `scim:bulk` scope; every token and client
/// stored before it could call `/Bulk`, so they get that scope here and keep working.
#[derive(DeriveIden)]
enum AuditLog {
    Table,
    TenantId,
    Id,
    At,
    Actor,
    Action,
    TargetType,
    TargetId,
    Status,
    ScimType,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(AuditLog::TenantId).uuid().not_null())
                    .col(ColumnDef::new(AuditLog::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::Actor).string_len(128).not_null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::TargetType).string_len(32).null())
                    .col(ColumnDef::new(AuditLog::TargetId).string_len(128).null())
                    .col(ColumnDef::new(AuditLog::Status).small_integer().not_null())
                    .col(ColumnDef::new(AuditLog::ScimType).string_len(32).null())
                    .col(ColumnDef::new(AuditLog::RequestId).string_len(64).null())
                    .primary_key(Index::create().col(AuditLog::TenantId).col(AuditLog::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_tenant_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::TenantId)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for table in ["tokens", "oauth_clients"] {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET scopes = scopes || ' scim:bulk' \
                 WHERE scopes NOT LIKE '%scim:bulk%'"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}
