//! Admin use cases for OAuth clients: create (the secret is shown once), list, get, update
//! (scopes, claims, policy), revoke. Used by the CLI, the operator API and the tenant
//! self-service API alike; every change is audited, and the `AdminContext` keeps a tenant admin
//! to its own tenant's clients.

use std::sync::Arc;

use uuid::Uuid;

use crate::admin_name::AdminName;
use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::oauth::client::{ClientId, FixedClaims, OAuthClient};
use crate::ports::{Cache, ClientStore, Clock, SecretHasher, TenantStore};
use crate::scope::Scope;
use crate::service::admin::context::AdminContext;
use crate::service::admin::credential_change::{CredentialChange, CredentialFields};
use crate::service::admin::tenants::scopes_or_default;
use crate::service::audit::Auditor;
use crate::service::auth::jwt_bearer::client_cache_key;
use crate::tenant::{Tenant, TenantSlug};

/// What to create.
pub struct ClientRequest {
    pub name: AdminName,
    /// Allowed scopes; empty means `Scope::DEFAULT`.
    pub scopes: Vec<Scope>,
    pub claims: FixedClaims,
    pub policy: Option<Policy>,
}

/// What to change on an existing client.
pub type ClientChange = CredentialChange;

/// A new client and its secret, shown exactly once.
pub struct IssuedClient {
    pub client: OAuthClient,
    pub client_secret: String,
}

pub struct ClientAdmin {
    tenants: Arc<dyn TenantStore>,
    clients: Arc<dyn ClientStore>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
    clock: Arc<dyn Clock>,
    audit: Arc<Auditor>,
}

impl ClientAdmin {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        clients: Arc<dyn ClientStore>,
        hasher: Arc<dyn SecretHasher>,
        cache: Arc<dyn Cache>,
        clock: Arc<dyn Clock>,
        audit: Arc<Auditor>,
    ) -> Self {
        Self {
            tenants,
            clients,
            hasher,
            cache,
            clock,
            audit,
        }
    }

    /// A tenant admin may give a client any scope of its own tenant (see `TokenAdmin::issue`).
    #[tracing::instrument(skip(self, ctx, request), fields(tenant = %slug))]
    pub async fn create(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: ClientRequest,
    ) -> DomainResult<IssuedClient> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "client.create", "Client");
        let result = self.insert(&tenant, request).await;
        self.audit
            .audited_create(event, result, |c| c.client.client_id.to_string())
            .await
    }

    async fn insert(&self, tenant: &Tenant, request: ClientRequest) -> DomainResult<IssuedClient> {
        let client_secret = self.hasher.random_secret();
        let client = OAuthClient {
            client_id: ClientId::from_hex(&Uuid::now_v7().simple().to_string())?,
            tenant_id: tenant.id,
            name: request.name.into_string(),
            scopes: scopes_or_default(request.scopes),
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

    pub async fn list(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<Vec<OAuthClient>> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.clients.list(tenant.id).await
    }

    /// The client, if `ctx` may administer its tenant (404 otherwise, as if absent).
    pub async fn get(&self, ctx: &AdminContext, id: &ClientId) -> DomainResult<OAuthClient> {
        let missing = || format!("no client with id '{id}'");
        let client = self
            .clients
            .find(id)
            .await?
            .ok_or_else(|| DomainError::NotFound(missing()))?;
        ctx.check_tenant(client.tenant_id, missing)?;
        Ok(client)
    }

    /// Changes what the client's tokens may do. The policy applies to its outstanding tokens
    /// at once (the cached client status is dropped, as on revocation); scopes and claims
    /// ride inside the tokens, so they apply to tokens issued from now on.
    #[tracing::instrument(skip(self, ctx, change))]
    pub async fn update(
        &self,
        ctx: &AdminContext,
        id: &ClientId,
        change: ClientChange,
    ) -> DomainResult<OAuthClient> {
        let client = self.get(ctx, id).await?;
        let event = ctx
            .event(client.tenant_id, "client.update", "Client")
            .target(id);
        self.audit
            .audited(event, 200, self.store_change(client, change).await)
            .await
    }

    async fn store_change(
        &self,
        mut client: OAuthClient,
        change: ClientChange,
    ) -> DomainResult<OAuthClient> {
        if client.is_revoked() {
            return Err(DomainError::Conflict(format!(
                "client '{}' is revoked; create a new one",
                client.client_id
            )));
        }
        change.apply(CredentialFields {
            name: &mut client.name,
            scopes: &mut client.scopes,
            claims: &mut client.claims,
            policy: &mut client.policy,
        });
        if !self.clients.update(&client).await? {
            return Err(DomainError::Conflict(format!(
                "client '{}' was revoked meanwhile",
                client.client_id
            )));
        }
        self.cache
            .remove(&client_cache_key(&client.client_id))
            .await?;
        Ok(client)
    }

    /// Revokes in the store first, then drops the cached status, so the client's outstanding
    /// access tokens are refused at once wherever that cache is shared (and within the cache
    /// TTL elsewhere). The client can get no new token from then on.
    #[tracing::instrument(skip(self, ctx))]
    pub async fn revoke(&self, ctx: &AdminContext, id: &ClientId) -> DomainResult<OAuthClient> {
        let client = self.get(ctx, id).await?;
        let event = ctx
            .event(client.tenant_id, "client.revoke", "Client")
            .target(id);
        self.audit
            .audited(event, 200, self.revoke_stored(id).await)
            .await
    }

    async fn revoke_stored(&self, id: &ClientId) -> DomainResult<OAuthClient> {
        let client = self
            .clients
            .revoke(id, self.clock.now())
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no client with id '{id}'")))?;
        self.cache.remove(&client_cache_key(id)).await?;
        Ok(client)
    }
}
