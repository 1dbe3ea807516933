use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Resources {
    Table,
    TenantId,
    ResourceType,
    Id,
    ExternalId,
    DisplayNameCi,
}

/// (old name, new name, column) of each lookup index.
const LOOKUPS: [(&str, &str, Resources); 2] = [
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
];

/// `(tenant_id, resource_type, column[, id])` named `name`.
fn lookup_index(name: &str, column: Resources, with_id: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(name)
        .table(Resources::Table)
        .col(Resources::TenantId)
        .col(Resources::ResourceType)
        .col(column);
    if with_id {
        index.col(Resources::Id);
    }
    index.to_owned()
}

/// Swaps one index for another, creating before dropping so lookups always have one.
async fn swap(
    manager: &SchemaManager<'_>,
    create: IndexCreateStatement,
    drop: &str,
) -> Result<(), DbErr> {
    manager.create_index(create).await?;
    manager
        .drop_index(Index::drop().name(drop).table(Resources::Table).to_owned())
        .await
}

/// The non-unique lookup indexes end with `id`: equal values then come out in listing order,
/// so an `externalId eq` page is read from its index alone. Without that, SQLite (which keeps
/// no statistics until `ANALYZE`) walked the id-order index over the whole tenant instead.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, column) in LOOKUPS {
            swap(manager, lookup_index(new, column, true), old).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, column) in LOOKUPS {
            swap(manager, lookup_index(old, column, false), new).await?;
        }
        Ok(())
    }
}
