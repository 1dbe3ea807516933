//! Use cases for the authorization servers a tenant trusts: create, list, delete, by the
//! operator (CLI, operator API) or by the tenant's own admin (its tenant only; endpoints must
//! be https and reach public addresses only, see [`Registrar`]). Every change drops the
//! cached lookups the bearer check keeps, so a new or deleted entry counts at once wherever
//! that cache is shared.

use std::sync::Arc;

use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::oauth::trusted_issuer::{
    IssuerId, Registrar, TrustedIssuer, TrustedIssuerRequest, Verification,
};
use crate::ports::EndpointGuard;
use crate::service::admin::context::AdminContext;
use crate::service::audit::Auditor;
use crate::service::auth::trusted_bearer::{
    TrustedIssuerPorts, issuer_lookup_key, tenant_issuers_key,
};
use crate::tenant::{Tenant, TenantSlug};

pub struct TrustedIssuerAdmin {
    ports: TrustedIssuerPorts,
    audit: Arc<Auditor>,
    guard: Arc<dyn EndpointGuard>,
}

impl TrustedIssuerAdmin {
    /// `guard` checks the endpoints a tenant's own admin registers.
    pub fn new(
        ports: TrustedIssuerPorts,
        audit: Arc<Auditor>,
        guard: Arc<dyn EndpointGuard>,
    ) -> Self {
        Self {
            ports,
            audit,
            guard,
        }
    }

    /// Validates and stores a new entry. The request's `Debug` hides the secret, so the span
    /// may skip it without losing anything useful.
    #[tracing::instrument(skip(self, ctx, request), fields(tenant = %slug))]
    pub async fn create(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: TrustedIssuerRequest,
    ) -> DomainResult<TrustedIssuer> {
        let tenant = ctx.tenant(self.ports.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "issuer.create", "TrustedIssuer");
        let registrar = match ctx.own_tenant() {
            Some(_) => Registrar::Tenant,
            None => Registrar::Operator,
        };
        let result = self.insert(&tenant, slug, request, registrar).await;
        self.audit
            .audited_create(event, result, |issuer| issuer.id.to_string())
            .await
    }

    async fn insert(
        &self,
        tenant: &Tenant,
        slug: &TenantSlug,
        request: TrustedIssuerRequest,
        registrar: Registrar,
    ) -> DomainResult<TrustedIssuer> {
        let valid = request.validate(registrar)?;
        if registrar == Registrar::Tenant {
            let field = match valid.verification {
                Verification::Jwks { .. } => "jwksUrl",
                Verification::Introspection { .. } => "introspectionUrl",
            };
            self.guard
                .check_public(field, valid.verification.url())
                .await?;
        }
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
            created: self.ports.clock.now(),
            registered_by: registrar,
        };
        self.ports
            .store
            .insert(&issuer, valid.secret.as_ref())
            .await?;
        self.forget(slug, &issuer.issuer).await?;
        Ok(issuer)
    }

    pub async fn list(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<Vec<TrustedIssuer>> {
        let tenant = ctx.tenant(self.ports.tenants.as_ref(), slug).await?;
        self.ports.store.list(tenant.id).await
    }

    /// Deletes in the store first, then drops the cached lookups: the issuer's tokens are
    /// refused at once where the cache is shared, within the lookup TTL elsewhere.
    #[tracing::instrument(skip(self, ctx), fields(tenant = %slug))]
    pub async fn delete(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: IssuerId,
    ) -> DomainResult<TrustedIssuer> {
        let tenant = ctx.tenant(self.ports.tenants.as_ref(), slug).await?;
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
        let issuer = self
            .ports
            .store
            .delete(tenant.id, id)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no trusted issuer with id '{id}'")))?;
        self.forget(slug, &issuer.issuer).await?;
        Ok(issuer)
    }

    async fn forget(&self, slug: &TenantSlug, issuer: &str) -> DomainResult<()> {
        self.ports.cache.remove(&tenant_issuers_key(slug)).await?;
        self.ports
            .cache
            .remove(&issuer_lookup_key(self.ports.hasher.as_ref(), issuer))
            .await
    }
}
