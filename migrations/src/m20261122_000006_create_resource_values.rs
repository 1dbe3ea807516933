use sea_orm_migration::prelude::*;

use crate::m20261122_000003_create_resources::Resources;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row per searchable value of the attributes that have no column of their own
/// (`name.givenName`, `emails.value`, extension attributes, ...), written in the same
/// transaction as the document. Filters become index probes on
/// `(tenant_id, attr_path, value_norm)` instead of JSON scans. Complex values get a marker row
/// (`value_norm` NULL) per element, so `emails[type eq "work" and value co "x"]` can require
/// both conditions of the same element.
#[derive(DeriveIden)]
pub enum ResourceValues {
    Table,
    TenantId,
    ResourceId,
    AttrPath,
    Element,
    IsPrimary,
    ValueNorm,
    ValueNum,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Byte-wise collation on PostgreSQL so `sw` ranges and sort order agree with SQLite.
        let binary_collation =
            if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
                "COLLATE \"C\""
            } else {
                ""
            };
        manager
            .create_table(
                Table::create()
                    .table(ResourceValues::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(ResourceValues::TenantId).uuid().not_null())
                    .col(ColumnDef::new(ResourceValues::ResourceId).uuid().not_null())
                    .col(
                        ColumnDef::new(ResourceValues::AttrPath)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ResourceValues::Element).integer().not_null())
                    .col(
                        ColumnDef::new(ResourceValues::IsPrimary)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ResourceValues::ValueNorm)
                            .string_len(512)
                            .null()
                            .extra(binary_collation),
                    )
                    .col(ColumnDef::new(ResourceValues::ValueNum).double().null())
                    .primary_key(
                        Index::create()
                            .col(ResourceValues::TenantId)
                            .col(ResourceValues::ResourceId)
                            .col(ResourceValues::AttrPath)
                            .col(ResourceValues::Element),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_resource_values_resource")
                            .from(
                                ResourceValues::Table,
                                (ResourceValues::TenantId, ResourceValues::ResourceId),
                            )
                            .to(Resources::Table, (Resources::TenantId, Resources::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_resource_values_norm", ResourceValues::ValueNorm),
            ("ix_resource_values_num", ResourceValues::ValueNum),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ResourceValues::Table)
                        .col(ResourceValues::TenantId)
                        .col(ResourceValues::AttrPath)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ResourceValues::Table).to_owned())
            .await
    }
}
