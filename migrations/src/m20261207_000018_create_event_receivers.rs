use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// RFC 8936 poll receivers: one row per credential (token or OAuth client) of a tenant that
/// polls `/t/{tenant}/events/poll`. `acked_through` is its low-water mark: every event of
/// the tenant numbered up to it is acknowledged.
#[derive(DeriveIden)]
enum EventReceivers {
    Table,
    TenantId,
    Receiver,
    AckedThrough,
    CreatedAt,
}

/// Events a receiver acknowledged above its low-water mark (acknowledgements may come out
/// of order). Rows at or below the mark are deleted as the mark moves past them.
#[derive(DeriveIden)]
enum EventReceiverAcks {
    Table,
    TenantId,
    Receiver,
    Sequence,
}

/// The outbox of m20261207_000017; acknowledgements name events by id (the SET `jti`).
#[derive(DeriveIden)]
enum Events {
    Table,
    TenantId,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventReceivers::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(EventReceivers::TenantId).uuid().not_null())
                    .col(ColumnDef::new(EventReceivers::Receiver).text().not_null())
                    .col(
                        ColumnDef::new(EventReceivers::AckedThrough)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EventReceivers::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null()
                            .default(Expr::current_timestamp()),
                    )
                    .primary_key(
                        Index::create()
                            .col(EventReceivers::TenantId)
                            .col(EventReceivers::Receiver),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventReceiverAcks::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(EventReceiverAcks::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EventReceiverAcks::Receiver)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EventReceiverAcks::Sequence)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(EventReceiverAcks::TenantId)
                            .col(EventReceiverAcks::Receiver)
                            .col(EventReceiverAcks::Sequence),
                    )
                    .to_owned(),
            )
            .await?;
        // An acknowledgement names an event by its id; without this index finding it would
        // scan the tenant's whole outbox.
        manager
            .create_index(
                Index::create()
                    .name("ix_events_tenant_id_event_id")
                    .table(Events::Table)
                    .col(Events::TenantId)
                    .col(Events::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_events_tenant_id_event_id")
                    .table(Events::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(EventReceiverAcks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EventReceivers::Table).to_owned())
            .await
    }
}
