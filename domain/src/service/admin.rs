//! Admin use cases: tenants, their tokens and their audit log. Used by the CLI, the operator
//! API and the tenant self-service API alike; the `AdminContext` says who may touch which
//! tenant, and every change is recorded in the audit log. The methods without `_as` are the
//! operator's shorthands (CLI, start-up, tests).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::audit::AuditPage;
use crate::error::{DomainError, DomainResult};
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TokenStore};
use crate::scope::Scope;
use crate::service::admin_context::AdminContext;
use crate::service::audit::{AuditPageRequest, Auditor};
use crate::service::authenticate::token_cache_key;
use crate::tenant::{Tenant, TenantId, TenantSlug};
use crate::token::{TokenId, TokenRecord, format_token};

/// What to issue.
pub struct TokenRequest {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new token: the record and the secret-bearing string shown exactly once.
pub struct IssuedToken {
    pub record: TokenRecord,
    pub token: String,
}

pub struct AdminService {
    tenants: Arc<dyn TenantStore>,
    tokens: Arc<dyn TokenStore>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
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
        name: Option<String>,
    ) -> DomainResult<Tenant> {
        self.create_tenant_as(&AdminContext::operator(None), slug, name)
            .await
    }

    pub async fn issue_token(
        &self,
        slug: &TenantSlug,
        request: TokenRequest,
    ) -> DomainResult<IssuedToken> {
        self.issue_token_as(&AdminContext::operator(None), slug, request)
            .await
    }

    pub async fn list_tokens(&self, slug: &TenantSlug) -> DomainResult<Vec<TokenRecord>> {
        self.list_tokens_as(&AdminContext::operator(None), slug)
            .await
    }

    pub async fn revoke_token(&self, id: &TokenId) -> DomainResult<TokenRecord> {
        self.revoke_token_as(&AdminContext::operator(None), id)
            .await
    }

    #[tracing::instrument(skip(self, ctx), err)]
    pub async fn create_tenant_as(
        &self,
        ctx: &AdminContext,
        slug: TenantSlug,
        name: Option<String>,
    ) -> DomainResult<Tenant> {
        ctx.require_operator()?;
        let tenant = Tenant {
            id: TenantId(Uuid::now_v7()),
            name: name.unwrap_or_else(|| slug.to_string()),
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

    /// Tokens minted by a tenant admin may carry any scope of its tenant, `scim:admin`
    /// included: the tenant admin is the tenant's root credential (it could create an OAuth
    /// client with those scopes anyway), and nothing it mints reaches another tenant.
    #[tracing::instrument(skip(self, ctx, request), fields(tenant = %slug), err)]
    pub async fn issue_token_as(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: TokenRequest,
    ) -> DomainResult<IssuedToken> {
        let tenant = self.tenant_for(ctx, slug).await?;
        let event = ctx.event(tenant.id, "token.create", "Token");
        let result = self.mint(tenant.id, request).await;
        self.audit
            .audited_create(event, result, |t| t.record.id.to_string())
            .await
    }

    async fn mint(&self, tenant: TenantId, request: TokenRequest) -> DomainResult<IssuedToken> {
        let now = self.clock.now();
        if request.expires_at.is_some_and(|exp| exp <= now) {
            return Err(DomainError::InvalidValue(
                "expiry must be in the future".into(),
            ));
        }
        let scopes = scopes_or_default(request.scopes);
        let id = TokenId::parse(&Uuid::now_v7().simple().to_string())?;
        let secret = self.hasher.random_secret();
        let record = TokenRecord {
            secret_hash: self.hasher.hash(&secret).await?,
            id,
            tenant_id: tenant,
            name: request.name,
            scopes,
            created: now,
            expires_at: request.expires_at,
            revoked_at: None,
        };
        self.tokens.insert(&record).await?;
        let token = format_token(&record.id, &secret);
        Ok(IssuedToken { record, token })
    }

    pub async fn list_tokens_as(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<Vec<TokenRecord>> {
        let tenant = self.tenant_for(ctx, slug).await?;
        self.tokens.list(tenant.id).await
    }

    /// Revokes in the store first, then drops the cached verification so this replica (and
    /// every replica sharing the cache) refuses the token at once.
    #[tracing::instrument(skip(self, ctx), err)]
    pub async fn revoke_token_as(
        &self,
        ctx: &AdminContext,
        id: &TokenId,
    ) -> DomainResult<TokenRecord> {
        let missing = || DomainError::NotFound(format!("no token with id '{id}'"));
        let token = self.tokens.find(id).await?.ok_or_else(missing)?;
        ctx.check_tenant(token.tenant_id, || missing().to_string())?;
        let event = ctx
            .event(token.tenant_id, "token.revoke", "Token")
            .target(id);
        self.audit
            .audited(event, 200, self.revoke_stored(id).await)
            .await
    }

    async fn revoke_stored(&self, id: &TokenId) -> DomainResult<TokenRecord> {
        let record = self
            .tokens
            .revoke(id, self.clock.now())
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no token with id '{id}'")))?;
        self.cache.remove(&token_cache_key(id)).await?;
        Ok(record)
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
