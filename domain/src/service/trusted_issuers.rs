//! Operator use cases for the authorization servers a tenant trusts: create, list, delete.
//! Used by the CLI and the admin API alike. Every change drops the cached lookups the bearer
//! check keeps, so a new or deleted entry counts at once wherever that cache is shared.

use std::sync::Arc;

use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::oauth::trusted_issuer::{IssuerId, TrustedIssuer, TrustedIssuerRequest};
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TrustedIssuerStore};
use crate::service::admin_context::AdminContext;
use crate::service::audit::Auditor;
use crate::service::trusted_bearer::{issuer_lookup_key, tenant_issuers_key};
use crate::tenant::{Tenant, TenantSlug};

pub struct TrustedIssuerAdmin {
    tenants: Arc<dyn TenantStore>,
    store: Arc<dyn TrustedIssuerStore>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
    clock: Arc<dyn Clock>,
    audit: Arc<Auditor>,
}

impl TrustedIssuerAdmin {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        store: Arc<dyn TrustedIssuerStore>,
        hasher: Arc<dyn SecretHasher>,
        cache: Arc<dyn Cache>,
        clock: Arc<dyn Clock>,
        audit: Arc<Auditor>,
    ) -> Self {
        Self {
            tenants,
            store,
            hasher,
            cache,
            clock,
            audit,
        }
    }

    async fn tenant(&self, slug: &TenantSlug) -> DomainResult<Tenant> {
        self.tenants
            .find_by_slug(slug)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no tenant '{slug}'")))
    }

    /// Validates and stores a new entry. The request's `Debug` hides the secret, so the span
    /// may skip it without losing anything useful.
    #[tracing::instrument(skip(self, ctx, request), fields(tenant = %slug), err)]
    pub async fn create(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: TrustedIssuerRequest,
    ) -> DomainResult<TrustedIssuer> {
        let tenant = self.tenant(slug).await?;
        let event = ctx.event(tenant.id, "issuer.create", "TrustedIssuer");
        let result = self.insert(&tenant, slug, request).await;
        self.audit
            .audited_create(event, result, |issuer| issuer.id.to_string())
            .await
    }

    async fn insert(
        &self,
        tenant: &Tenant,
        slug: &TenantSlug,
        request: TrustedIssuerRequest,
    ) -> DomainResult<TrustedIssuer> {
        let valid = request.validate()?;
        let issuer = TrustedIssuer {
            id: IssuerId(Uuid::now_v7()),
            tenant_id: tenant.id,
            issuer: valid.issuer,
            audience: valid.audience,
            verification: valid.verification,
            scope_claim: valid.scope_claim,
            allowed_scopes: valid.allowed_scopes,
            copy_claims: valid.copy_claims,
            policy: valid.policy,
            created: self.clock.now(),
        };
        self.store.insert(&issuer, valid.secret.as_ref()).await?;
        self.forget(slug, &issuer.issuer).await?;
        Ok(issuer)
    }

    pub async fn list(&self, slug: &TenantSlug) -> DomainResult<Vec<TrustedIssuer>> {
        let tenant = self.tenant(slug).await?;
        self.store.list(tenant.id).await
    }

    /// Deletes in the store first, then drops the cached lookups: the issuer's tokens are
    /// refused at once where the cache is shared, within the lookup TTL elsewhere.
    #[tracing::instrument(skip(self, ctx), fields(tenant = %slug), err)]
    pub async fn delete(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: IssuerId,
    ) -> DomainResult<TrustedIssuer> {
        let tenant = self.tenant(slug).await?;
        let event = ctx
            .event(tenant.id, "issuer.delete", "TrustedIssuer")
            .target(id);
        let result = self.remove(&tenant, slug, id).await;
        self.audit.audited(event, 200, result).await
    }

    async fn remove(
        &self,
        tenant: &Tenant,
        slug: &TenantSlug,
        id: IssuerId,
    ) -> DomainResult<TrustedIssuer> {
        let issuer =
            self.store.delete(tenant.id, id).await?.ok_or_else(|| {
                DomainError::NotFound(format!("no trusted issuer with id '{id}'"))
            })?;
        self.forget(slug, &issuer.issuer).await?;
        Ok(issuer)
    }

    async fn forget(&self, slug: &TenantSlug, issuer: &str) -> DomainResult<()> {
        self.cache.remove(&tenant_issuers_key(slug)).await?;
        self.cache
            .remove(&issuer_lookup_key(self.hasher.as_ref(), issuer))
            .await
    }
}
