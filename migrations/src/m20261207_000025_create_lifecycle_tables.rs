use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A tenant's lifecycle policy; a tenant without a row has the default (hard delete).
#[derive(DeriveIden)]
enum TenantLifecycle {
    Table,
    TenantId,
    Deletion,
    RetentionDays,
    Updated,
}

/// Soft-deleted resources, out of every table a SCIM answer reads: the stored document and
/// what it needs to come back (version, created, password hash, memberships as ids). A purge
/// empties the row and keeps it as the id's tombstone (`purged_at`).
#[derive(DeriveIden)]
enum ArchivedResources {
    Table,
    TenantId,
    Id,
    ResourceType,
    Version,
    Created,
    Document,
    PasswordHash,
    ExternalId,
    Display,
    GroupIds,
    MemberIds,
    DeletedAt,
    PurgeAfter,
    PurgedAt,
}

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn maybe_at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TenantLifecycle::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(TenantLifecycle::TenantId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(TenantLifecycle::Deletion).text().not_null())
                    .col(
                        ColumnDef::new(TenantLifecycle::RetentionDays)
                            .integer()
                            .null(),
                    )
                    .col(at(TenantLifecycle::Updated))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArchivedResources::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ArchivedResources::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ArchivedResources::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(ArchivedResources::ResourceType)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ArchivedResources::Version)
                            .big_integer()
                            .not_null(),
                    )
                    .col(at(ArchivedResources::Created))
                    .col(
                        ColumnDef::new(ArchivedResources::Document)
                            .json_binary()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ArchivedResources::PasswordHash)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(ArchivedResources::ExternalId).text().null())
                    .col(ColumnDef::new(ArchivedResources::Display).text().null())
                    .col(
                        ColumnDef::new(ArchivedResources::GroupIds)
                            .json_binary()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ArchivedResources::MemberIds)
                            .json_binary()
                            .null(),
                    )
                    .col(at(ArchivedResources::DeletedAt))
                    .col(maybe_at(ArchivedResources::PurgeAfter))
                    .col(maybe_at(ArchivedResources::PurgedAt))
                    .primary_key(
                        Index::create()
                            .col(ArchivedResources::TenantId)
                            .col(ArchivedResources::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The purge job visits tenant by tenant: each lookup is a range of this index.
        manager
            .create_index(
                Index::create()
                    .name("archived_resources_purge_after")
                    .table(ArchivedResources::Table)
                    .col(ArchivedResources::TenantId)
                    .col(ArchivedResources::PurgeAfter)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ArchivedResources::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TenantLifecycle::Table).to_owned())
            .await
    }
}
