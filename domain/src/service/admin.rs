//! Admin use cases: tenants, their tokens (`admin_tokens.rs`) and their audit log. Used by
//! the CLI, the operator API and the tenant self-service API alike; the `AdminContext` says who
//! may touch which tenant, and every change is recorded in the audit log. The methods without
//! `_as` are the operator's shorthands (CLI, start-up, tests).

use std::sync::Arc;

use uuid::Uuid;

use crate::admin_name::AdminName;
use crate::audit::AuditPage;
use crate::error::{DomainError, DomainResult};
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TokenStore};
use crate::scope::Scope;
use crate::service::admin_context::AdminContext;
use crate::service::audit::{AuditPageRequest, Auditor};
use crate::tenant::{Tenant, TenantId, TenantSlug};

pub use crate::service::admin_tokens::{IssuedToken, TokenChange, TokenRequest};

pub struct AdminService {
    pub(super) tenants: Arc<dyn TenantStore>,
    pub(super) tokens: Arc<dyn TokenStore>,
    pub(super) hasher: Arc<dyn SecretHasher>,
    pub(super) cache: Arc<dyn Cache>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) audit: Arc<Auditor>,
}

/// Scopes a new token or client gets when it names none.
pub(crate) fn scopes_or_default(scopes: Vec<Scope>) -> Vec<Scope> {
    if scopes.is_empty() {
        Scope::DEFAULT.to_vec()
    } else {
        scopes
    }
}

impl AdminService {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        tokens: Arc<dyn TokenStore>,
        hasher: Arc<dyn SecretHasher>,
        cache: Arc<dyn Cache>,
        clock: Arc<dyn Clock>,
        audit: Arc<Auditor>,
    ) -> Self {
        Self {
            tenants,
            tokens,
            hasher,
            cache,
            clock,
            audit,
        }
    }

    pub async fn create_tenant(
        &self,
        slug: TenantSlug,
        name: Option<AdminName>,
    ) -> DomainResult<Tenant> {
        self.create_tenant_as(&AdminContext::operator(None), slug, name)
            .await
    }

    #[tracing::instrument(skip(self, ctx))]
    pub async fn create_tenant_as(
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

    pub async fn list_tenants(&self) -> DomainResult<Vec<Tenant>> {
        self.tenants.list().await
    }

    pub async fn tenant(&self, slug: &TenantSlug) -> DomainResult<Tenant> {
        self.tenants
            .find_by_slug(slug)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no tenant '{slug}'")))
    }

    /// The tenant named by `slug`, if `ctx` may administer it (404 otherwise, as if absent).
    pub async fn tenant_for(&self, ctx: &AdminContext, slug: &TenantSlug) -> DomainResult<Tenant> {
        ctx.tenant(self.tenants.as_ref(), slug).await
    }

    /// One page of the tenant's audit log, newest first.
    pub async fn audit_log_as(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: &AuditPageRequest,
    ) -> DomainResult<AuditPage> {
        let tenant = self.tenant_for(ctx, slug).await?;
        self.audit.page(tenant.id, request).await
    }
}
