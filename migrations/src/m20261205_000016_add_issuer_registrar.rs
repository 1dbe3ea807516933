use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Who registered a trusted issuer: `operator` (every entry before this migration) or
/// `tenant` (a tenant admin, whose endpoints are called on public addresses only).
#[derive(DeriveIden)]
enum TrustedIssuers {
    Table,
    RegisteredBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TrustedIssuers::Table)
                    .add_column(
                        ColumnDef::new(TrustedIssuers::RegisteredBy)
                            .string_len(16)
                            .not_null()
                            .default("operator"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TrustedIssuers::Table)
                    .drop_column(TrustedIssuers::RegisteredBy)
                    .to_owned(),
            )
            .await
    }
}
