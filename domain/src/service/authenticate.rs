//! Bearer token verification without an argon2 hash per request: the first verification of a
//! token is cached under its id with a keyed fingerprint of the whole token; revocation drops
//! the entry, so it takes effect at once wherever that cache is shared. Access tokens that
//! scimgate's own token endpoint issued (JWTs) are checked by `JwtBearer`; tokens of a
//! tenant's own authorization server by `TrustedBearer`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::oauth::external_claims::peek_issuer;
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TokenStore};
use crate::principal::Principal;
use crate::service::jwt_bearer::{JwtBearer, looks_like_jwt};
use crate::service::trusted_bearer::TrustedBearer;
use crate::tenant::TenantSlug;
use crate::token::{PresentedToken, TokenId, is_scimgate_token};

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

/// The cache key of a token's verification; revocation removes it.
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
            && constant_time_eq(hit.fingerprint.as_bytes(), fingerprint.as_bytes())
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
        let principal = Principal {
            tenant_id: tenant.id,
            tenant_slug: tenant.slug,
            subject: record.id.to_string(),
            scopes: record.scopes.clone(),
            claims: Default::default(),
            policy: None,
        };
        let ttl = match record.expires_at {
            Some(exp) => (exp - now).to_std().unwrap_or_default().min(self.ttl),
            None => self.ttl,
        };
        let entry = VerifiedToken {
            fingerprint,
            principal: principal.clone(),
            expires_at: record.expires_at,
        };
        if let Ok(bytes) = serde_json::to_vec(&entry)
            && let Err(err) = self.cache.put(&key, bytes, ttl).await
        {
            tracing::warn!(error = %err, "token cache unavailable; verified against the database");
        }
        Ok(principal)
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

/// Compares without an early exit, so timing does not reveal how much of a value matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
