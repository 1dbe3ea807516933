//! Where tenants' lifecycle policies and their soft-deleted resources are kept. The soft
//! delete itself is [`super::ResourceStore::delete`] (which reads the policy inside its
//! transaction) and the restore [`super::ResourceStore::restore`]; this port holds the rest.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainResult;
use crate::guard_rails::{GuardRails, GuardRule};
use crate::lifecycle::{ArchivedResource, LifecyclePolicy};
use crate::tenant::TenantId;

/// Most archived resources one listing answers, newest deletion first.
pub const ARCHIVE_LISTING_LIMIT: u64 = 1000;

/// Counts writes a tenant's guard rails refused (a metric, by rule).
pub trait GuardRefusals: Send + Sync {
    fn refused(&self, rule: GuardRule);
}

#[async_trait]
pub trait LifecycleStore: Send + Sync {
    /// The tenant's policy; the default (hard delete) when it never set one.
    async fn policy(&self, tenant: TenantId) -> DomainResult<LifecyclePolicy>;

    /// The tenant's guard rails alone (what every User write checks).
    async fn guard_rails(&self, tenant: TenantId) -> DomainResult<GuardRails>;

    async fn set_policy(
        &self,
        tenant: TenantId,
        policy: &LifecyclePolicy,
        at: DateTime<Utc>,
    ) -> DomainResult<()>;

    /// Up to [`ARCHIVE_LISTING_LIMIT`] of the tenant's soft-deleted resources not yet purged,
    /// newest deletion first.
    async fn archived(&self, tenant: TenantId) -> DomainResult<Vec<ArchivedResource>>;

    /// One archived resource or tombstone of the tenant.
    async fn archived_one(
        &self,
        tenant: TenantId,
        id: Uuid,
    ) -> DomainResult<Option<ArchivedResource>>;

    /// Purges every archived resource (of every tenant) whose retention ended before `now`,
    /// each with its `purged` event and audit entry in its own transaction; returns how many.
    /// Replicas running it at once purge each resource once.
    async fn purge_expired(&self, now: DateTime<Utc>) -> DomainResult<u64>;
}
