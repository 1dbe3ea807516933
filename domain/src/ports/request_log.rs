//! Storage of the per-tenant request log (`crate::request_log`), kept to a bound per tenant.

use async_trait::async_trait;

use crate::error::DomainResult;
use crate::request_log::RequestRecord;
use crate::tenant::TenantId;

#[async_trait]
pub trait RequestLogStore: Send + Sync {
    /// Stores `records` (of any tenants) in one multi-row write, then deletes of each tenant
    /// named all but its newest `keep` records.
    async fn append(&self, records: &[RequestRecord], keep: u64) -> DomainResult<()>;

    /// The tenant's newest `limit` records, newest first.
    async fn recent(&self, tenant: TenantId, limit: u64) -> DomainResult<Vec<RequestRecord>>;
}
