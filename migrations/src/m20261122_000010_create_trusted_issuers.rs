use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Authorization servers a tenant trusts besides scimgate itself: tokens they issue are
/// verified against their JWKS or through their RFC 7662 introspection endpoint. The
/// introspection client secret is stored in plain text (like the signing keys, encryption
/// with a master key is a follow-up); it is never returned by the admin API.
#[derive(DeriveIden)]
enum TrustedIssuers {
    Table,
    TenantId,
    Id,
    Issuer,
    Audience,
    JwksUrl,
    IntrospectionUrl,
    IntrospectionClientId,
    IntrospectionClientSecret,
    ScopeClaim,
    AllowedScopes,
    CopyClaims,
    Policy,
    Created,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrustedIssuers::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(TrustedIssuers::TenantId).uuid().not_null())
                    .col(ColumnDef::new(TrustedIssuers::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(TrustedIssuers::Issuer)
                            .string_len(2048)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrustedIssuers::Audience)
                            .string_len(2048)
                            .not_null(),
                    )
                    .col(ColumnDef::new(TrustedIssuers::JwksUrl).text().null())
                    .col(
                        ColumnDef::new(TrustedIssuers::IntrospectionUrl)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(TrustedIssuers::IntrospectionClientId)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(TrustedIssuers::IntrospectionClientSecret)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(TrustedIssuers::ScopeClaim)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrustedIssuers::AllowedScopes)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrustedIssuers::CopyClaims)
                            .json_binary()
                            .not_null(),
                    )
                    .col(ColumnDef::new(TrustedIssuers::Policy).json_binary().null())
                    .col(
                        ColumnDef::new(TrustedIssuers::Created)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(TrustedIssuers::TenantId)
                            .col(TrustedIssuers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One entry per issuer and tenant: a token's `iss` picks exactly one configuration.
        manager
            .create_index(
                Index::create()
                    .name("ux_trusted_issuers_tenant_issuer")
                    .table(TrustedIssuers::Table)
                    .col(TrustedIssuers::TenantId)
                    .col(TrustedIssuers::Issuer)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrustedIssuers::Table).to_owned())
            .await
    }
}
