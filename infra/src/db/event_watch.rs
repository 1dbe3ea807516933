//! `EventWatch` by looking at the tenant's event counter: one primary-key read every
//! `interval` while a long poll waits, whichever replica wrote the events. (A notification
//! channel, PostgreSQL LISTEN or Redis pub/sub, could replace the reads later.)

use std::time::Duration;

use async_trait::async_trait;
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::EventWatch;
use scimgate_domain::tenant::TenantId;
use sea_orm::DatabaseConnection;

use super::outbox;

pub struct PollingEventWatch {
    db: DatabaseConnection,
    interval: Duration,
}

impl PollingEventWatch {
    pub fn new(db: DatabaseConnection, interval: Duration) -> Self {
        Self { db, interval }
    }
}

#[async_trait]
impl EventWatch for PollingEventWatch {
    async fn head(&self, tenant: TenantId) -> DomainResult<i64> {
        outbox::head(&self.db, tenant.0).await
    }

    async fn wait_past(&self, tenant: TenantId, seen: i64, timeout: Duration) -> DomainResult<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(());
            }
            tokio::time::sleep(self.interval.min(deadline - now)).await;
            if outbox::head(&self.db, tenant.0).await? > seen {
                return Ok(());
            }
        }
    }
}
