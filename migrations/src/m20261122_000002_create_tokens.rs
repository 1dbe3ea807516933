use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tokens are found by their public id alone (the `/scim/v2` route learns the tenant from the
/// token), so `id` is the key and `tenant_id` an indexed column.
#[derive(DeriveIden)]
enum Tokens {
    Table,
    Id,
    TenantId,
    Name,
    Scopes,
    SecretHash,
    Created,
    ExpiresAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tokens::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Tokens::Id)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Tokens::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Tokens::Name).string().not_null())
                    .col(ColumnDef::new(Tokens::Scopes).string().not_null())
                    .col(ColumnDef::new(Tokens::SecretHash).string().not_null())
                    .col(
                        ColumnDef::new(Tokens::Created)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Tokens::ExpiresAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Tokens::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_tokens_tenant")
                    .table(Tokens::Table)
                    .col(Tokens::TenantId)
                    .col(Tokens::Created)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Tokens::Table).to_owned())
            .await
    }
}
