use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The change-event outbox: one row per event, written in the transaction of the SCIM write
/// it reports, numbered per tenant by `event_sequences`. `(tenant_id, sequence)` is the key
/// the events API pages by; `(tenant_id, occurred_at)` serves the retention purge.
#[derive(DeriveIden)]
enum Events {
    Table,
    TenantId,
    Sequence,
    Id,
    Txn,
    EventType,
    Operation,
    ResourceType,
    ResourceId,
    ExternalId,
    Version,
    Actor,
    RequestId,
    OccurredAt,
    Payload,
}

/// The last sequence number given to each tenant's events. Taking the next numbers locks the
/// tenant's row until the write commits, so events become visible in sequence order and a
/// reader that has seen number n has seen every number below it.
#[derive(DeriveIden)]
enum EventSequences {
    Table,
    TenantId,
    LastSequence,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Events::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Events::Sequence).big_integer().not_null())
                    .col(ColumnDef::new(Events::Id).uuid().not_null())
                    .col(ColumnDef::new(Events::Txn).uuid().not_null())
                    .col(ColumnDef::new(Events::EventType).string_len(32).not_null())
                    .col(ColumnDef::new(Events::Operation).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Events::ResourceType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Events::ResourceId).uuid().not_null())
                    .col(ColumnDef::new(Events::ExternalId).text().null())
                    .col(ColumnDef::new(Events::Version).big_integer().not_null())
                    .col(ColumnDef::new(Events::Actor).string_len(128).not_null())
                    .col(ColumnDef::new(Events::RequestId).string_len(64).null())
                    .col(
                        ColumnDef::new(Events::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Events::Payload).json_binary().not_null())
                    .primary_key(Index::create().col(Events::TenantId).col(Events::Sequence))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_events_tenant_occurred_at")
                    .table(Events::Table)
                    .col(Events::TenantId)
                    .col(Events::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventSequences::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(EventSequences::TenantId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EventSequences::LastSequence)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventSequences::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Events::Table).to_owned())
            .await
    }
}
