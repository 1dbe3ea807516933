//! Bearer token verification without an argon2 hash per request: the first verification of a
//! token is cached under its id with a keyed fingerprint of the whole token and the principal
//! (scopes, fixed claims, policy); revocation and updates drop the entry, so they take effect
//! at once wherever that cache is shared. Access tokens that scimgate's own token endpoint
//! issued (JWTs) are checked by `JwtBearer`; tokens of a tenant's own authorization server by
//! `TrustedBearer`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::authz::principal::Principal;
use crate::constant_time;
use crate::error::{DomainError, DomainResult};
use crate::oauth::external_claims::peek_issuer;
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TokenStore};
use crate::service::auth::jwt_bearer::{JwtBearer, looks_like_jwt};
use crate::service::auth::trusted_bearer::TrustedBearer;
use crate::tenant::{Tenant, TenantSlug};
use crate::token::{PresentedToken, TokenId, TokenRecord, is_scimgate_token};

/// What the cache holds for a verified token.
#[derive(Serialize, Deserialize)]
struct VerifiedToken {
    fingerprint: String,
    principal: Principal,
    expires_at: Option<DateTime<Utc>>,
}

pub struct Authenticator {
    tokens: Arc<dyn TokenStore>,
    tenants: Arc<dyn TenantStore>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
    clock: Arc<dyn Clock>,
    ttl: Duration,
    jwt: JwtBearer,
    trusted: Option<TrustedBearer>,
}

/// The cache key of a token's verification; revocation and updates remove it.
pub fn token_cache_key(id: &TokenId) -> String {
    format!("token:{id}")
}

impl Authenticator {
    pub fn new(
        tokens: Arc<dyn TokenStore>,
        tenants: Arc<dyn TenantStore>,
        hasher: Arc<dyn SecretHasher>,
        cache: Arc<dyn Cache>,
        clock: Arc<dyn Clock>,
        ttl: Duration,
        jwt: JwtBearer,
    ) -> Self {
        Self {
            tokens,
            tenants,
            hasher,
            cache,
            clock,
            ttl,
            jwt,
            trusted: None,
        }
    }

    /// Also accepts tokens of the authorization servers tenants trust.
    pub fn trusting(mut self, trusted: TrustedBearer) -> Self {
        self.trusted = Some(trusted);
        self
    }

    /// Turns a bearer credential into the principal it stands for, or `Unauthenticated`.
    /// `issuer` is what an access token's `iss` must say: this deployment's public URL, or
    /// the origin of the request when none is configured (as at the token endpoint).
    pub async fn authenticate(&self, bearer: &str, issuer: &str) -> DomainResult<Principal> {
        self.authenticate_at(bearer, issuer, None).await
    }

    /// Like `authenticate`, on a route naming `tenant` (`/t/{tenant}/...`): tokens of that
    /// tenant's own authorization server are looked up there only. The caller still checks
    /// that the principal belongs to `tenant`.
    pub async fn authenticate_at(
        &self,
        bearer: &str,
        issuer: &str,
        tenant: Option<&str>,
    ) -> DomainResult<Principal> {
        let tenant = tenant.map(TenantSlug::parse).transpose().map_err(|_| {
            DomainError::Unauthenticated("invalid, revoked or expired token".into())
        })?;
        if looks_like_jwt(bearer) {
            return match (peek_issuer(bearer), &self.trusted) {
                (Some(iss), Some(trusted)) if iss != issuer => {
                    trusted
                        .authenticate_jwt(bearer, &iss, tenant.as_ref())
                        .await
                }
                _ => self.jwt.authenticate(bearer, issuer).await,
            };
        }
        if !is_scimgate_token(bearer)
            && let Some(trusted) = &self.trusted
        {
            return trusted.authenticate_opaque(bearer, tenant.as_ref()).await;
        }
        let presented = PresentedToken::parse(bearer)?;
        let key = token_cache_key(&presented.id);
        let fingerprint = self.hasher.fingerprint(presented.whole);
        let now = self.clock.now();
        if let Some(hit) = self.cached(&key).await
            && constant_time::eq(hit.fingerprint.as_bytes(), fingerprint.as_bytes())
            && hit.expires_at.is_none_or(|exp| exp > now)
        {
            return Ok(hit.principal);
        }
        let rejected = || DomainError::Unauthenticated("invalid, revoked or expired token".into());
        let record = self
            .tokens
            .find(&presented.id)
            .await?
            .ok_or_else(rejected)?;
        if !record.is_usable_at(now)
            || !self
                .hasher
                .verify(presented.secret, &record.secret_hash)
                .await?
        {
            return Err(rejected());
        }
        let tenant = self
            .tenants
            .find(record.tenant_id)
            .await?
            .ok_or_else(rejected)?;
        let principal = token_principal(&record, tenant);
        let ttl = match record.expires_at {
            Some(exp) => (exp - now).to_std().unwrap_or_default().min(self.ttl),
            None => self.ttl,
        };
        let entry = VerifiedToken {
            fingerprint,
            principal: principal.clone(),
            expires_at: record.expires_at,
        };
        if let Ok(bytes) = serde_json::to_vec(&entry) {
            match self.cache.put(&key, bytes, ttl).await {
                Ok(()) => self.drop_if_changed(&key, &record).await,
                Err(err) => {
                    tracing::warn!(error = %err, "token cache unavailable; verified against the database");
                }
            }
        }
        Ok(principal)
    }

    /// A revoke or update that committed between the read above and the put dropped the
    /// entry before it existed, so the put would outlive it by up to a TTL. Reading the row
    /// again after the put sees such a change and drops the entry here; a change committing
    /// after this read drops it itself.
    async fn drop_if_changed(&self, key: &str, read: &TokenRecord) {
        let unchanged = matches!(self.tokens.find(&read.id).await, Ok(Some(now)) if now == *read);
        if !unchanged && let Err(err) = self.cache.remove(key).await {
            tracing::warn!(error = %err, "cannot drop a token verification that went stale");
        }
    }

    async fn cached(&self, key: &str) -> Option<VerifiedToken> {
        match self.cache.get(key).await {
            Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(error = %err, "token cache unavailable; verifying against the database");
                None
            }
        }
    }
}

/// What a verified opaque token stands for: its tenant, scopes, fixed claims and policy, so
/// the policy applies to it as to an OAuth client's access tokens.
fn token_principal(record: &TokenRecord, tenant: Tenant) -> Principal {
    Principal {
        tenant_id: tenant.id,
        tenant_slug: tenant.slug,
        subject: record.id.to_string(),
        scopes: record.scopes.clone(),
        claims: record.claims.as_map().clone(),
        policy: record.policy.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::authz::Policy;
    use crate::oauth::client::FixedClaims;
    use crate::scope::Scope;
    use crate::tenant::TenantId;

    #[test]
    fn an_opaque_tokens_principal_carries_its_claims_and_policy() {
        let tenant = Tenant {
            id: TenantId(Uuid::now_v7()),
            slug: TenantSlug::parse("acme").unwrap(),
            name: "Acme".into(),
            created: Utc::now(),
        };
        let policy: Policy = serde_json::from_value(json!({"readable": ["userName"]})).unwrap();
        let record = TokenRecord {
            id: TokenId::parse("0123abcd").unwrap(),
            tenant_id: tenant.id,
            name: "partner".into(),
            scopes: vec![Scope::Read],
            claims: FixedClaims::parse(json!({"org": "partner-a"})).unwrap(),
            policy: Some(policy.clone()),
            created: Utc::now(),
            expires_at: None,
            revoked_at: None,
            secret_hash: String::new(),
        };

        let principal = token_principal(&record, tenant.clone());

        assert_eq!(principal.tenant_id, tenant.id);
        assert_eq!(principal.subject, "0123abcd");
        assert_eq!(principal.scopes, [Scope::Read]);
        assert_eq!(principal.claims["org"], "partner-a");
        assert_eq!(principal.policy, Some(policy));
    }

    #[test]
    fn a_cached_verification_keeps_the_policy() {
        let principal = Principal {
            tenant_id: TenantId(Uuid::now_v7()),
            tenant_slug: TenantSlug::parse("acme").unwrap(),
            subject: "0123abcd".into(),
            scopes: vec![Scope::Read],
            claims: json!({"org": "partner-a"}).as_object().cloned().unwrap(),
            policy: serde_json::from_value(
                json!({"userFilter": "userName eq \"{{claims.org}}\"", "writable": ["active"]}),
            )
            .unwrap(),
        };
        let entry = VerifiedToken {
            fingerprint: "f".into(),
            principal: principal.clone(),
            expires_at: None,
        };

        let bytes = serde_json::to_vec(&entry).unwrap();
        let back: VerifiedToken = serde_json::from_slice(&bytes).unwrap();

        assert!(back.principal.policy.is_some());
        assert_eq!(back.principal, principal);
    }
}
