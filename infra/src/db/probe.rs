//! Readiness of the database: one round trip on a pooled connection.

use async_trait::async_trait;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::ReadinessProbe;
use sea_orm::DatabaseConnection;

pub struct DatabaseProbe(pub DatabaseConnection);

#[async_trait]
impl ReadinessProbe for DatabaseProbe {
    fn name(&self) -> &'static str {
        "database"
    }

    async fn check(&self) -> DomainResult<()> {
        self.0.ping().await.map_err(DomainError::unavailable)
    }
}
