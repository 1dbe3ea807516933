use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// OAuth clients are found by their public id alone (the token endpoint learns the tenant from
/// the client, like `/scim/v2` from a token), so `client_id` is the key and `tenant_id` leads
/// the listing index.
#[derive(DeriveIden)]
enum OauthClients {
    Table,
    ClientId,
    TenantId,
    Name,
    SecretHash,
    Scopes,
    Claims,
    Created,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OauthClients::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(OauthClients::ClientId)
                            .string_len(68)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OauthClients::TenantId).uuid().not_null())
                    .col(ColumnDef::new(OauthClients::Name).string().not_null())
                    .col(ColumnDef::new(OauthClients::SecretHash).string().not_null())
                    .col(ColumnDef::new(OauthClients::Scopes).string().not_null())
                    .col(
                        ColumnDef::new(OauthClients::Claims)
                            .json_binary()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OauthClients::Created)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OauthClients::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_oauth_clients_tenant")
                    .table(OauthClients::Table)
                    .col(OauthClients::TenantId)
                    .col(OauthClients::Created)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OauthClients::Table).to_owned())
            .await
    }
}
