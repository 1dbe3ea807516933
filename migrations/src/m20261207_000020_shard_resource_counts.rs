use sea_orm_migration::prelude::*;

/// The per-tenant resource counters, split into shards: a create or delete adds to one shard
/// chosen by its resource id, and a total is the sum of the tenant's shards of that type. One
/// counter row per tenant and type made every create of a tenant wait for the previous one's
/// commit on PostgreSQL (the row stays locked until then); with shards, concurrent creates
/// rarely meet on a row. The counts stay exact: every change is still made in the transaction
/// of the write. Replaces `resource_counts`, whose totals become shard 0.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResourceCountShards {
    Table,
    TenantId,
    ResourceType,
    Shard,
    Total,
}

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
                    .table(ResourceCountShards::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ResourceCountShards::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ResourceCountShards::ResourceType)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ResourceCountShards::Shard)
                            .small_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ResourceCountShards::Total)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .primary_key(
                        Index::create()
                            .col(ResourceCountShards::TenantId)
                            .col(ResourceCountShards::ResourceType)
                            .col(ResourceCountShards::Shard),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceCountShards::Table, ResourceCountShards::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO resource_count_shards (tenant_id, resource_type, shard, total) \
                 SELECT tenant_id, resource_type, 0, total FROM resource_counts",
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ResourceCounts::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO resource_counts (tenant_id, resource_type, total) \
                 SELECT tenant_id, resource_type, SUM(total) FROM resource_count_shards \
                 GROUP BY tenant_id, resource_type",
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ResourceCountShards::Table).to_owned())
            .await
    }
}
