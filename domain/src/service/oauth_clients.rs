//! Operator use cases for OAuth clients: create (the secret is shown once), list, revoke.
//! Used by the CLI and the admin API alike.

use std::sync::Arc;

use uuid::Uuid;

use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::oauth::client::{ClientId, FixedClaims, OAuthClient};
use crate::ports::{Cache, ClientStore, Clock, SecretHasher, TenantStore};
use crate::scope::Scope;
use crate::tenant::TenantSlug;

/// What to create.
pub struct ClientRequest {
    pub name: String,
    /// Allowed scopes; empty means `Scope::DEFAULT`.
    pub scopes: Vec<Scope>,
    pub claims: FixedClaims,
    pub policy: Option<Policy>,
}

/// A new client and its secret, shown exactly once.
pub struct IssuedClient {
    pub client: OAuthClient,
    pub client_secret: String,
}

/// The cache key of a client's status as the bearer check caches it; revocation removes it.
pub fn client_cache_key(id: &ClientId) -> String {
    format!("oauth_client:{id}")
}

pub struct ClientAdmin {
    tenants: Arc<dyn TenantStore>,
    clients: Arc<dyn ClientStore>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
    clock: Arc<dyn Clock>,
}

impl ClientAdmin {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        clients: Arc<dyn ClientStore>,
        hasher: Arc<dyn SecretHasher>,
        cache: Arc<dyn Cache>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            tenants,
            clients,
            hasher,
            cache,
            clock,
        }
    }

    #[tracing::instrument(skip(self, request), fields(tenant = %slug), err)]
    pub async fn create(
        &self,
        slug: &TenantSlug,
        request: ClientRequest,
    ) -> DomainResult<IssuedClient> {
        let tenant = self
            .tenants
            .find_by_slug(slug)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no tenant '{slug}'")))?;
        let scopes = if request.scopes.is_empty() {
            Scope::DEFAULT.to_vec()
        } else {
            request.scopes
        };
        let client_secret = self.hasher.random_secret();
        let client = OAuthClient {
            client_id: ClientId::from_hex(&Uuid::now_v7().simple().to_string())?,
            tenant_id: tenant.id,
            name: request.name,
            scopes,
            claims: request.claims,
            policy: request.policy,
            created: self.clock.now(),
            revoked_at: None,
            secret_hash: self.hasher.hash(&client_secret).await?,
        };
        self.clients.insert(&client).await?;
        Ok(IssuedClient {
            client,
            client_secret,
        })
    }

    pub async fn list(&self, slug: &TenantSlug) -> DomainResult<Vec<OAuthClient>> {
        let tenant = self
            .tenants
            .find_by_slug(slug)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no tenant '{slug}'")))?;
        self.clients.list(tenant.id).await
    }

    /// Revokes in the store first, then drops the cached status, so the client's outstanding
    /// access tokens are refused at once wherever that cache is shared (and within the cache
    /// TTL elsewhere). The client can get no new token from then on.
    #[tracing::instrument(skip(self), err)]
    pub async fn revoke(&self, id: &ClientId) -> DomainResult<OAuthClient> {
        let client = self
            .clients
            .revoke(id, self.clock.now())
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no client with id '{id}'")))?;
        self.cache.remove(&client_cache_key(id)).await?;
        Ok(client)
    }
}
