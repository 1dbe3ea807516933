use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row per User or Group: the SCIM document as JSON plus plain, indexed copies of the
/// values that lookups and uniqueness need, and the `display` text other resources show
/// when they reference this one (so a group's members render without reading documents). userName uniqueness is this table's constraint,
/// so two concurrent creates cannot both win.
#[derive(DeriveIden)]
pub enum Resources {
    Table,
    TenantId,
    Id,
    ResourceType,
    Version,
    Created,
    LastModified,
    Document,
    UserNameCi,
    ExternalId,
    DisplayNameCi,
    Display,
    PasswordHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Byte-wise collation on PostgreSQL, so prefix ranges (`userName sw "j"`) use the index
        // and order the same way as on SQLite.
        let binary = if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            "COLLATE \"C\""
        } else {
            ""
        };
        manager
            .create_table(
                Table::create()
                    .table(Resources::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Resources::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Resources::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(Resources::ResourceType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Resources::Version).big_integer().not_null())
                    .col(
                        ColumnDef::new(Resources::Created)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Resources::LastModified)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Resources::Document).json_binary().not_null())
                    .col(
                        ColumnDef::new(Resources::UserNameCi)
                            .string()
                            .null()
                            .extra(binary),
                    )
                    .col(
                        ColumnDef::new(Resources::ExternalId)
                            .string()
                            .null()
                            .extra(binary),
                    )
                    .col(
                        ColumnDef::new(Resources::DisplayNameCi)
                            .string()
                            .null()
                            .extra(binary),
                    )
                    .col(ColumnDef::new(Resources::Display).string().null())
                    .col(ColumnDef::new(Resources::PasswordHash).string().null())
                    .primary_key(Index::create().col(Resources::TenantId).col(Resources::Id))
                    .to_owned(),
            )
            .await?;
        let indexes = [
            ("ux_resources_user_name", Resources::UserNameCi, true),
            ("ix_resources_external_id", Resources::ExternalId, false),
            ("ix_resources_display_name", Resources::DisplayNameCi, false),
        ];
        for (name, column, unique) in indexes {
            let mut index = Index::create();
            index
                .name(name)
                .table(Resources::Table)
                .col(Resources::TenantId)
                .col(Resources::ResourceType)
                .col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        // Listing pages in creation order: ids are UUIDv7, so (type, id) is that order.
        manager
            .create_index(
                Index::create()
                    .name("ix_resources_type_id")
                    .table(Resources::Table)
                    .col(Resources::TenantId)
                    .col(Resources::ResourceType)
                    .col(Resources::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Resources::Table).to_owned())
            .await
    }
}
