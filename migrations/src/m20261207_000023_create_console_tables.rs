use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Setup links of the web console: only the keyed hash of each code is kept, found by
/// `(tenant_id, code_hash)` (the code names its tenant).
#[derive(DeriveIden)]
enum ConsoleSetupLinks {
    Table,
    TenantId,
    Id,
    CodeHash,
    CreatedBy,
    Created,
    ExpiresAt,
    RedeemedAt,
    RevokedAt,
}

/// Console sessions, in the database so every replica knows them; found by
/// `(tenant_id, secret_hash)` (the cookie names its tenant).
#[derive(DeriveIden)]
enum ConsoleSessions {
    Table,
    TenantId,
    Id,
    SecretHash,
    LinkId,
    Created,
    ExpiresAt,
    EndedAt,
}

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn maybe_at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsoleSetupLinks::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ConsoleSetupLinks::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ConsoleSetupLinks::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(ConsoleSetupLinks::CodeHash)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ConsoleSetupLinks::CreatedBy)
                            .text()
                            .not_null(),
                    )
                    .col(at(ConsoleSetupLinks::Created))
                    .col(at(ConsoleSetupLinks::ExpiresAt))
                    .col(maybe_at(ConsoleSetupLinks::RedeemedAt))
                    .col(maybe_at(ConsoleSetupLinks::RevokedAt))
                    .primary_key(
                        Index::create()
                            .col(ConsoleSetupLinks::TenantId)
                            .col(ConsoleSetupLinks::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_console_setup_links_code")
                    .table(ConsoleSetupLinks::Table)
                    .col(ConsoleSetupLinks::TenantId)
                    .col(ConsoleSetupLinks::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConsoleSessions::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(ConsoleSessions::TenantId).uuid().not_null())
                    .col(ColumnDef::new(ConsoleSessions::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(ConsoleSessions::SecretHash)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ConsoleSessions::LinkId).uuid().not_null())
                    .col(at(ConsoleSessions::Created))
                    .col(at(ConsoleSessions::ExpiresAt))
                    .col(maybe_at(ConsoleSessions::EndedAt))
                    .primary_key(
                        Index::create()
                            .col(ConsoleSessions::TenantId)
                            .col(ConsoleSessions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_console_sessions_secret")
                    .table(ConsoleSessions::Table)
                    .col(ConsoleSessions::TenantId)
                    .col(ConsoleSessions::SecretHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConsoleSessions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ConsoleSetupLinks::Table).to_owned())
            .await
    }
}
