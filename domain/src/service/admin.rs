//! Operator use cases: tenants and their tokens. Used by the CLI and the admin API alike.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TokenStore};
use crate::scope::Scope;
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
}

impl AdminService {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        tokens: Arc<dyn TokenStore>,
        hasher: Arc<dyn SecretHasher>,
        cache: Arc<dyn Cache>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            tenants,
            tokens,
            hasher,
            cache,
            clock,
        }
    }

    #[tracing::instrument(skip(self), err)]
    pub async fn create_tenant(
        &self,
        slug: TenantSlug,
        name: Option<String>,
    ) -> DomainResult<Tenant> {
        let tenant = Tenant {
            id: TenantId(Uuid::now_v7()),
            name: name.unwrap_or_else(|| slug.to_string()),
            slug,
            created: self.clock.now(),
        };
        self.tenants.insert(&tenant).await?;
        Ok(tenant)
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

    #[tracing::instrument(skip(self, request), fields(tenant = %slug), err)]
    pub async fn issue_token(
        &self,
        slug: &TenantSlug,
        request: TokenRequest,
    ) -> DomainResult<IssuedToken> {
        let tenant = self.tenant(slug).await?;
        let now = self.clock.now();
        if request.expires_at.is_some_and(|exp| exp <= now) {
            return Err(DomainError::InvalidValue(
                "expiry must be in the future".into(),
            ));
        }
        let scopes = if request.scopes.is_empty() {
            Scope::DEFAULT.to_vec()
        } else {
            request.scopes
        };
        let id = TokenId::parse(&Uuid::now_v7().simple().to_string())?;
        let secret = self.hasher.random_secret();
        let record = TokenRecord {
            secret_hash: self.hasher.hash(&secret).await?,
            id,
            tenant_id: tenant.id,
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

    pub async fn list_tokens(&self, slug: &TenantSlug) -> DomainResult<Vec<TokenRecord>> {
        let tenant = self.tenant(slug).await?;
        self.tokens.list(tenant.id).await
    }

    /// Revokes in the store first, then drops the cached verification so this replica (and
    /// every replica sharing the cache) refuses the token at once.
    #[tracing::instrument(skip(self), err)]
    pub async fn revoke_token(&self, id: &TokenId) -> DomainResult<TokenRecord> {
        let record = self
            .tokens
            .revoke(id, self.clock.now())
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no token with id '{id}'")))?;
        self.cache.remove(&token_cache_key(id)).await?;
        Ok(record)
    }
}
