//! Admin use cases on tenants: create and list (the operator's), read one and its audit log
//! (the operator, or the tenant's own admin). Used by the CLI, the operator API and the tenant
//! self-service API alike; every change is recorded in the audit log.

use std::sync::Arc;

use uuid::Uuid;

use crate::admin_name::AdminName;
use crate::audit::AuditPage;
use crate::error::DomainResult;
use crate::ports::{Clock, TenantStore};
use crate::scope::Scope;
use crate::service::admin::context::AdminContext;
use crate::service::audit::{AuditPageRequest, Auditor};
use crate::tenant::{Tenant, TenantId, TenantSlug};

pub struct TenantAdmin {
    tenants: Arc<dyn TenantStore>,
    clock: Arc<dyn Clock>,
    audit: Arc<Auditor>,
}

/// Scopes a new token or client gets when it names none.
pub(crate) fn scopes_or_default(scopes: Vec<Scope>) -> Vec<Scope> {
    if scopes.is_empty() {
        Scope::DEFAULT.to_vec()
    } else {
        scopes
    }
}

impl TenantAdmin {
    pub fn new(tenants: Arc<dyn TenantStore>, clock: Arc<dyn Clock>, audit: Arc<Auditor>) -> Self {
        Self {
            tenants,
            clock,
            audit,
        }
    }

    #[tracing::instrument(skip(self, ctx))]
    pub async fn create(
        &self,
        ctx: &AdminContext,
        slug: TenantSlug,
        name: Option<AdminName>,
    ) -> DomainResult<Tenant> {
        ctx.require_operator()?;
        let tenant = Tenant {
            id: TenantId(Uuid::now_v7()),
            name: name.map_or_else(|| slug.to_string(), AdminName::into_string),
            slug,
            created: self.clock.now(),
        };
        self.tenants.insert(&tenant).await?;
        let event = ctx.event(tenant.id, "tenant.create", "Tenant");
        self.audit
            .audited_create(event, Ok(tenant), |t| t.id.0.to_string())
            .await
    }

    /// Every tenant; the operator's alone.
    pub async fn list(&self, ctx: &AdminContext) -> DomainResult<Vec<Tenant>> {
        ctx.require_operator()?;
        self.tenants.list().await
    }

    /// The tenant named by `slug`, if `ctx` may administer it (404 otherwise, as if absent).
    pub async fn get(&self, ctx: &AdminContext, slug: &TenantSlug) -> DomainResult<Tenant> {
        ctx.tenant(self.tenants.as_ref(), slug).await
    }

    /// One page of the tenant's audit log, newest first.
    pub async fn audit_log(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: &AuditPageRequest,
    ) -> DomainResult<AuditPage> {
        let tenant = self.get(ctx, slug).await?;
        self.audit.page(tenant.id, request).await
    }
}
