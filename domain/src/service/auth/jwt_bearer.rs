//! Access tokens scimgate issued itself, presented as bearer tokens on the SCIM routes: the
//! signature against the named key, `aud`, `iss` and `exp`, then the client must still be
//! unrevoked and belong to the token's tenant. The client's status is cached briefly (the
//! signature check needs no cache: it costs microseconds); revoking drops the cache entry.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::authz::Policy;
use crate::authz::principal::Principal;
use crate::error::{DomainError, DomainResult};
use crate::oauth::claims::{AUDIENCE, Expected, LEEWAY_SECS};
use crate::oauth::client::ClientId;
use crate::ports::{Cache, ClientStore, JwtCodec, TenantStore};
use crate::scope::Scope;
use crate::service::auth::key_ring::KeyRing;
use crate::tenant::{TenantId, TenantSlug};

/// What the cache remembers of a client. Revocation is final, so it is cached too.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum ClientStatus {
    Active {
        tenant_id: TenantId,
        tenant_slug: TenantSlug,
        #[serde(default)]
        policy: Option<Policy>,
    },
    Revoked,
}

pub struct JwtBearer {
    keys: Arc<KeyRing>,
    codec: Arc<dyn JwtCodec>,
    clients: Arc<dyn ClientStore>,
    tenants: Arc<dyn TenantStore>,
    cache: Arc<dyn Cache>,
    status_ttl: Duration,
}

/// The cache key of a client's status as the bearer check caches it; revocation removes it.
pub fn client_cache_key(id: &ClientId) -> String {
    format!("oauth_client:{id}")
}

/// Whether a bearer credential looks like a JWS compact serialisation (three dot-separated
/// parts) rather than an opaque `scimgate_` token.
pub fn looks_like_jwt(bearer: &str) -> bool {
    bearer.bytes().filter(|b| *b == b'.').count() == 2
}

impl JwtBearer {
    pub fn new(
        keys: Arc<KeyRing>,
        codec: Arc<dyn JwtCodec>,
        clients: Arc<dyn ClientStore>,
        tenants: Arc<dyn TenantStore>,
        cache: Arc<dyn Cache>,
        status_ttl: Duration,
    ) -> Self {
        Self {
            keys,
            codec,
            clients,
            tenants,
            cache,
            status_ttl,
        }
    }

    /// The principal of a valid access token issued by `issuer`, or `Unauthenticated`.
    pub async fn authenticate(&self, token: &str, issuer: &str) -> DomainResult<Principal> {
        let kid = self.codec.key_id(token).ok_or_else(rejected)?;
        let key = self
            .keys
            .verification_key(&kid)
            .await?
            .ok_or_else(rejected)?;
        let expected = Expected {
            issuer,
            audience: AUDIENCE,
            leeway_secs: LEEWAY_SECS,
        };
        let claims = self.codec.verify(token, &key, &expected)?;
        let client_id = ClientId::parse(&claims.sub).map_err(|_| rejected())?;
        let (tenant_id, tenant_slug, policy) = match self.status(&client_id).await? {
            ClientStatus::Active {
                tenant_id,
                tenant_slug,
                policy,
            } if tenant_id.0 == claims.tid => (tenant_id, tenant_slug, policy),
            _ => return Err(rejected()),
        };
        let scopes = claims
            .scope
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(Scope::parse)
            .collect::<DomainResult<Vec<_>>>()
            .map_err(|_| rejected())?;
        Ok(Principal {
            tenant_id,
            tenant_slug,
            subject: client_id.to_string(),
            scopes,
            claims: claims.claims,
            policy,
        })
    }

    async fn status(&self, id: &ClientId) -> DomainResult<ClientStatus> {
        let key = client_cache_key(id);
        match self.cache.get(&key).await {
            Ok(Some(bytes)) => {
                if let Ok(status) = serde_json::from_slice(&bytes) {
                    return Ok(status);
                }
            }
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(error = %err, "client cache unavailable; reading the client");
            }
        }
        let status = self.load_status(id).await?;
        if let Ok(bytes) = serde_json::to_vec(&status) {
            match self.cache.put(&key, bytes, self.status_ttl).await {
                // As for opaque tokens (`Authenticator::drop_if_changed`): a revoke or update
                // committed between the read and the put would otherwise be outlived by it.
                Ok(()) => {
                    let unchanged = matches!(self.load_status(id).await, Ok(now) if now == status);
                    if !unchanged && let Err(err) = self.cache.remove(&key).await {
                        tracing::warn!(error = %err, "cannot drop a client status that went stale");
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "client cache unavailable; read the client");
                }
            }
        }
        Ok(status)
    }

    async fn load_status(&self, id: &ClientId) -> DomainResult<ClientStatus> {
        let Some(client) = self.clients.find(id).await? else {
            return Ok(ClientStatus::Revoked);
        };
        if client.is_revoked() {
            return Ok(ClientStatus::Revoked);
        }
        Ok(match self.tenants.find(client.tenant_id).await? {
            Some(tenant) => ClientStatus::Active {
                tenant_id: tenant.id,
                tenant_slug: tenant.slug,
                policy: client.policy,
            },
            None => ClientStatus::Revoked,
        })
    }
}

fn rejected() -> DomainError {
    DomainError::Unauthenticated("invalid, revoked or expired token".into())
}
