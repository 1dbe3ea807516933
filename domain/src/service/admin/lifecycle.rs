//! A tenant's lifecycle policy and its soft-deleted resources, for the operator and the
//! tenant's own admin: read and set the policy, list the archive, restore one resource.
//! Every change is audited; a restore also leaves a `created` event (see `scim/restore.rs`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::lifecycle::{ArchivedResource, LifecyclePolicy};
use crate::ports::{Clock, LifecycleStore, TenantStore};
use crate::resource::stored::StoredResource;
use crate::service::admin::context::AdminContext;
use crate::service::audit::{AuditEvent, Auditor};
use crate::service::scim::resources::ResourceService;
use crate::service::scim::restore::RestoreRequest;
use crate::tenant::TenantSlug;

pub struct LifecycleAdmin {
    tenants: Arc<dyn TenantStore>,
    store: Arc<dyn LifecycleStore>,
    clock: Arc<dyn Clock>,
    audit: Arc<Auditor>,
}

impl LifecycleAdmin {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        store: Arc<dyn LifecycleStore>,
        clock: Arc<dyn Clock>,
        audit: Arc<Auditor>,
    ) -> Self {
        Self {
            tenants,
            store,
            clock,
            audit,
        }
    }

    pub async fn policy(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<LifecyclePolicy> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.store.policy(tenant.id).await
    }

    /// Sets the policy; it applies to deletes from now on (resources already archived keep
    /// the purge date they were given).
    pub async fn set_policy(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        policy: LifecyclePolicy,
    ) -> DomainResult<LifecyclePolicy> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx
            .event(tenant.id, "lifecycle.update", "Tenant")
            .target(tenant.id.0);
        let result = self
            .store
            .set_policy(tenant.id, &policy, self.clock.now())
            .await
            .map(|()| policy);
        self.audit.audited(event, 200, result).await
    }

    pub async fn archived(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<Vec<ArchivedResource>> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.store.archived(tenant.id).await
    }

    /// Restores soft-deleted resource `id` of the tenant through `resources`.
    pub async fn restore(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
        resources: &ResourceService,
    ) -> DomainResult<StoredResource> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let archived = match self.store.archived_one(tenant.id, id).await? {
            Some(archived) => archived,
            None => {
                let missing = DomainError::NotFound(format!("no archived resource '{id}'"));
                let event = AuditEvent {
                    target_id: Some(id.to_string()),
                    ..ctx.event(tenant.id, "resource.restore", "Resource")
                };
                return self.audit.audited(event, 201, Err(missing)).await;
            }
        };
        let request = RestoreRequest {
            tenant: tenant.id,
            actor: ctx.actor(),
            request_id: ctx.request_id(),
            archived: &archived,
        };
        let result = resources.restore(&request).await;
        self.audit
            .audited_failure(request.audit_event(), result)
            .await
    }

    /// Purges the soft-deleted resources of every tenant whose retention ended before `now`
    /// (the background job of every replica); returns how many this call purged.
    pub async fn purge_expired(&self, now: DateTime<Utc>) -> DomainResult<u64> {
        self.store.purge_expired(now).await
    }
}
