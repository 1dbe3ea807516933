use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Resources {
    Table,
    TenantId,
    ResourceType,
    Id,
    ExternalId,
    DisplayNameCi,
}

/// The non-unique lookup indexes end with `id`: equal values then come out in listing order,
/// so an `externalId eq` page is read from its index alone. Without that, SQLite (which keeps
/// no statistics until `ANALYZE`) walked the id-order index over the whole tenant instead.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, column) in [
            (
                "ix_resources_external_id",
                "ix_resources_external_id_id",
                Resources::ExternalId,
            ),
            (
                "ix_resources_display_name",
                "ix_resources_display_name_id",
                Resources::DisplayNameCi,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(new)
                        .table(Resources::Table)
                        .col(Resources::TenantId)
                        .col(Resources::ResourceType)
                        .col(column)
                        .col(Resources::Id)
                        .to_owned(),
                )
                .await?;
            manager
                .drop_index(Index::drop().name(old).table(Resources::Table).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, column) in [
            (
                "ix_resources_external_id",
                "ix_resources_external_id_id",
                Resources::ExternalId,
            ),
            (
                "ix_resources_display_name",
                "ix_resources_display_name_id",
                Resources::DisplayNameCi,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(old)
                        .table(Resources::Table)
                        .col(Resources::TenantId)
                        .col(Resources::ResourceType)
                        .col(column)
                        .to_owned(),
                )
                .await?;
            manager
                .drop_index(Index::drop().name(new).table(Resources::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}
