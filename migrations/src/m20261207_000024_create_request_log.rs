use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The console's per-tenant request log: what each SCIM request of a tenant got (route
/// pattern, status, `scimType`, latency, caller), never bodies, query strings or values.
/// Read and pruned newest first through the primary key `(tenant_id, id)`, ids being UUIDv7.
#[derive(DeriveIden)]
enum RequestLog {
    Table,
    TenantId,
    Id,
    At,
    Method,
    Route,
    Operation,
    Status,
    ScimType,
    LatencyUs,
    Caller,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RequestLog::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(RequestLog::TenantId).uuid().not_null())
                    .col(ColumnDef::new(RequestLog::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(RequestLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RequestLog::Method).text().not_null())
                    .col(ColumnDef::new(RequestLog::Route).text().not_null())
                    .col(ColumnDef::new(RequestLog::Operation).text().not_null())
                    .col(
                        ColumnDef::new(RequestLog::Status)
                            .small_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RequestLog::ScimType).text().null())
                    .col(
                        ColumnDef::new(RequestLog::LatencyUs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RequestLog::Caller).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(RequestLog::TenantId)
                            .col(RequestLog::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequestLog::Table).to_owned())
            .await
    }
}
