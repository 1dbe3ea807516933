use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Keys that sign access tokens. Deployment-wide, not tenant data. The private key is PKCS#8
/// DER in base64, not yet encrypted at rest (a master key for that is a follow-up).
#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Kid,
    Algorithm,
    PrivateKey,
    PublicJwk,
    Created,
    NotAfter,
    Active,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(SigningKeys::Kid)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SigningKeys::Algorithm)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SigningKeys::PrivateKey).text().not_null())
                    .col(
                        ColumnDef::new(SigningKeys::PublicJwk)
                            .json_binary()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SigningKeys::Created)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SigningKeys::NotAfter)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(SigningKeys::Active).boolean().not_null())
                    .to_owned(),
            )
            .await?;
        // At most one active key, whatever races: replicas starting together on an empty
        // table each try to insert one, and all but the first insert fail on this index.
        manager
            .create_index(
                Index::create()
                    .name("ux_signing_keys_one_active")
                    .table(SigningKeys::Table)
                    .col(SigningKeys::Active)
                    .unique()
                    .and_where(Expr::col(SigningKeys::Active).eq(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SigningKeys::Table).to_owned())
            .await
    }
}
