use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// How many resources of each type a tenant holds, kept in the transaction of every create and
/// delete: an unfiltered listing's `totalResults` is then one row, not a `COUNT(*)` over a
/// million, which IdP imports paging through every user would pay on every page.
#[derive(DeriveIden)]
enum ResourceCounts {
    Table,
    TenantId,
    ResourceType,
    Total,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ResourceCounts::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(ResourceCounts::TenantId).uuid().not_null())
                    .col(
                        ColumnDef::new(ResourceCounts::ResourceType)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ResourceCounts::Total)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .primary_key(
                        Index::create()
                            .col(ResourceCounts::TenantId)
                            .col(ResourceCounts::ResourceType),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceCounts::Table, ResourceCounts::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Existing data is counted once here; from now on writes keep the numbers.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO resource_counts (tenant_id, resource_type, total) \
                 SELECT tenant_id, resource_type, COUNT(*) FROM resources \
                 GROUP BY tenant_id, resource_type",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ResourceCounts::Table).to_owned())
            .await
    }
}
