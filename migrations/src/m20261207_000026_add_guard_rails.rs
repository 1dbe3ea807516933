use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A tenant's guard rails join its lifecycle policy: the verified domains its users' names and
/// emails must be in (a JSON list, `NULL` = rule off) and the most active users it may hold
/// (`NULL` = no limit).
#[derive(DeriveIden)]
enum TenantLifecycle {
    Table,
    VerifiedDomains,
    SeatLimit,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(TenantLifecycle::Table)
                    .add_column(
                        ColumnDef::new(TenantLifecycle::VerifiedDomains)
                            .json_binary()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TenantLifecycle::Table)
                    .add_column(
                        ColumnDef::new(TenantLifecycle::SeatLimit)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TenantLifecycle::Table)
                    .drop_column(TenantLifecycle::SeatLimit)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TenantLifecycle::Table)
                    .drop_column(TenantLifecycle::VerifiedDomains)
                    .to_owned(),
            )
            .await
    }
}
