use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The change-event outbox: one row per event, written in the transaction of the SCIM write
/// it reports, numbered per tenant (`sequence`, counted in `event_sequences`). On SQLite the
/// write numbers its events itself (writes are serial there anyway); on PostgreSQL the write
/// leaves `sequence` empty and records its place in `recorded` (a database sequence), and a
/// sequencer numbers committed events afterwards: numbering inside the write would hold the
/// tenant's counter row locked through every commit and serialize the tenant's writes.
/// `(tenant_id, sequence)` (unique) is what the events API pages by, the partial index finds
/// events still to number, `(tenant_id, occurred_at)` serves the retention purge.
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
    Recorded,
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
                    .col(ColumnDef::new(Events::Sequence).big_integer().null())
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
                    .col(ColumnDef::new(Events::Recorded).big_integer().null())
                    .primary_key(Index::create().col(Events::TenantId).col(Events::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_events_tenant_sequence")
                    .table(Events::Table)
                    .col(Events::TenantId)
                    .col(Events::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_events_unsequenced ON events (tenant_id) WHERE sequence IS NULL",
        )
        .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("CREATE SEQUENCE IF NOT EXISTS events_recorded")
                .await?;
            db.execute_unprepared(
                "ALTER TABLE events ALTER COLUMN recorded SET DEFAULT nextval('events_recorded')",
            )
            .await?;
        }
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
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP SEQUENCE IF EXISTS events_recorded")
                .await?;
        }
        Ok(())
    }
}
