use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The pending deliveries of one endpoint, oldest due first: what the PostgreSQL claim reads
/// for each active endpoint, so a claim costs what it leases, not the whole backlog. Partial,
/// so delivered rows leave it, and read by plain index scans, which skip the entries of
/// updated rows a vacuum has not removed yet (every delivery updates its row twice).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries \
                 (tenant_id, webhook_id, next_attempt_at, sequence) WHERE state = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS ix_webhook_deliveries_pending")
            .await?;
        Ok(())
    }
}
