//! Bearer tokens of a tenant's own authorization server. A JWT whose `iss` is not scimgate's
//! is matched to the tenant's trusted issuer of that name (the tenant of the `/t/{tenant}/`
//! path, else the one tenant whose operator-registered entry names it) and verified against its JWKS, or
//! introspected. An opaque token that is not scimgate's is introspected at the path tenant's
//! introspection endpoints. Lookups are cached briefly and dropped on every change;
//! introspection answers are cached under a keyed hash of the token, never the token.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::authz::principal::Principal;
use crate::error::{DomainError, DomainResult};
use crate::oauth::claims::Expected;
use crate::oauth::external_claims::{
    EXTERNAL_LEEWAY_SECS, expiry, introspection_agrees, principal,
};
use crate::oauth::trusted_issuer::{IssuerId, Registrar, TrustedIssuer, Verification};
use crate::ports::{
    Cache, Clock, ExternalJwtVerifier, IntrospectionEndpoint, SecretHasher, TenantStore,
    TokenIntrospector, TrustedIssuerStore,
};
use crate::tenant::{TenantId, TenantSlug};

/// The cache key of a tenant's trusted issuers; every change removes it.
pub fn tenant_issuers_key(slug: &TenantSlug) -> String {
    format!("trusted_issuers:{slug}")
}

/// The cache key of the entries, across tenants, for one issuer identifier.
pub fn issuer_lookup_key(hasher: &dyn SecretHasher, issuer: &str) -> String {
    format!("trusted_issuer:{}", hasher.fingerprint(issuer))
}

/// The ports both the bearer check and the admin use cases of trusted issuers work on: the
/// entries, the tenants they belong to, and the cache of lookups every change drops.
#[derive(Clone)]
pub struct TrustedIssuerPorts {
    pub store: Arc<dyn TrustedIssuerStore>,
    pub tenants: Arc<dyn TenantStore>,
    pub hasher: Arc<dyn SecretHasher>,
    pub cache: Arc<dyn Cache>,
    pub clock: Arc<dyn Clock>,
}

/// How a trusted issuer's tokens are checked: against its JWK Set, or by introspection.
pub struct TokenCheckers {
    pub verifier: Arc<dyn ExternalJwtVerifier>,
    pub introspector: Arc<dyn TokenIntrospector>,
}

/// How long things stay cached.
#[derive(Debug, Clone, Copy)]
pub struct TrustedCacheTtls {
    /// Issuer lookups (positive and negative).
    pub lookup: Duration,
    /// Most an active introspection answer is trusted, even when the token lives longer.
    pub introspection_max: Duration,
    /// An inactive answer: long enough to spare the server a flood of the same bad token.
    pub inactive: Duration,
}

#[derive(Serialize, Deserialize)]
struct TenantIssuers {
    tenant_id: TenantId,
    tenant_slug: TenantSlug,
    issuers: Vec<TrustedIssuer>,
}

#[derive(Serialize, Deserialize)]
struct IssuerMatch {
    tenant_slug: TenantSlug,
    issuer: TrustedIssuer,
}

#[derive(Serialize, Deserialize)]
enum Introspected {
    Active {
        /// Still trusted only while this entry exists.
        issuer_id: IssuerId,
        principal: Box<Principal>,
        expires_at: Option<DateTime<Utc>>,
    },
    Inactive,
}

pub struct TrustedBearer {
    store: Arc<dyn TrustedIssuerStore>,
    tenants: Arc<dyn TenantStore>,
    verifier: Arc<dyn ExternalJwtVerifier>,
    introspector: Arc<dyn TokenIntrospector>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
    clock: Arc<dyn Clock>,
    ttls: TrustedCacheTtls,
}

fn rejected() -> DomainError {
    DomainError::Unauthenticated("invalid, revoked or expired token".into())
}

impl TrustedBearer {
    pub fn new(ports: TrustedIssuerPorts, checkers: TokenCheckers, ttls: TrustedCacheTtls) -> Self {
        let TrustedIssuerPorts {
            store,
            tenants,
            hasher,
            cache,
            clock,
        } = ports;
        let TokenCheckers {
            verifier,
            introspector,
        } = checkers;
        Self {
            store,
            tenants,
            verifier,
            introspector,
            hasher,
            cache,
            clock,
            ttls,
        }
    }

    /// A JWT that names `iss` as its issuer, scimgate not being it.
    pub async fn authenticate_jwt(
        &self,
        token: &str,
        iss: &str,
        tenant: Option<&TenantSlug>,
    ) -> DomainResult<Principal> {
        let (slug, entry) = match tenant {
            Some(slug) => {
                let known = self.tenant_issuers(slug).await?.ok_or_else(rejected)?;
                let entry = known
                    .issuers
                    .into_iter()
                    .find(|entry| entry.issuer == iss)
                    .ok_or_else(rejected)?;
                (known.tenant_slug, entry)
            }
            None => {
                let mut matches = self.by_issuer(iss).await?;
                if matches.len() != 1 {
                    // None, or several tenants trust this issuer: only the path can tell.
                    return Err(DomainError::Unauthenticated(
                        "invalid token, or an issuer several tenants trust: use /t/{tenant}/scim/v2"
                            .into(),
                    ));
                }
                let found = matches.remove(0);
                (found.tenant_slug, found.issuer)
            }
        };
        match &entry.verification {
            Verification::Jwks { url } => {
                let expected = Expected {
                    issuer: &entry.issuer,
                    audience: &entry.audience,
                    leeway_secs: EXTERNAL_LEEWAY_SECS,
                };
                let reach = entry.registered_by.reach();
                let claims = self.verifier.verify(token, url, reach, &expected).await?;
                Ok(principal(&entry, slug, &claims))
            }
            Verification::Introspection { .. } => {
                self.introspect_cached(token, &slug, &[entry]).await
            }
        }
    }

    /// An opaque token that is not scimgate's: only the path names whose server to ask, and
    /// no token is ever sent to another tenant's server.
    pub async fn authenticate_opaque(
        &self,
        token: &str,
        tenant: Option<&TenantSlug>,
    ) -> DomainResult<Principal> {
        let slug = tenant.ok_or_else(rejected)?;
        let known = self.tenant_issuers(slug).await?.ok_or_else(rejected)?;
        let entries: Vec<TrustedIssuer> = known
            .issuers
            .into_iter()
            .filter(|entry| matches!(entry.verification, Verification::Introspection { .. }))
            .collect();
        if entries.is_empty() {
            return Err(rejected());
        }
        self.introspect_cached(token, &known.tenant_slug, &entries)
            .await
    }

    async fn introspect_cached(
        &self,
        token: &str,
        slug: &TenantSlug,
        entries: &[TrustedIssuer],
    ) -> DomainResult<Principal> {
        let Some(first) = entries.first() else {
            return Err(rejected());
        };
        let key = format!(
            "introspection:{}:{}",
            first.tenant_id.0,
            self.hasher.fingerprint(token)
        );
        let now = self.clock.now();
        match self.cached::<Introspected>(&key).await {
            Some(Introspected::Active {
                issuer_id,
                principal,
                expires_at,
            }) if expires_at.is_none_or(|exp| exp > now)
                && entries.iter().any(|entry| entry.id == issuer_id) =>
            {
                return Ok(*principal);
            }
            Some(Introspected::Inactive) => return Err(rejected()),
            _ => {}
        }
        let outcome = self.introspect(token, slug, entries, now).await?;
        let ttl = match &outcome {
            Introspected::Active { expires_at, .. } => expires_at
                .map(|exp| (exp - now).to_std().unwrap_or_default())
                .unwrap_or(self.ttls.introspection_max)
                .min(self.ttls.introspection_max),
            Introspected::Inactive => self.ttls.inactive,
        };
        self.remember(&key, &outcome, ttl).await;
        match outcome {
            Introspected::Active { principal, .. } => Ok(*principal),
            Introspected::Inactive => Err(rejected()),
        }
    }

    async fn introspect(
        &self,
        token: &str,
        slug: &TenantSlug,
        entries: &[TrustedIssuer],
        now: DateTime<Utc>,
    ) -> DomainResult<Introspected> {
        for entry in entries {
            let Verification::Introspection { url, client_id } = &entry.verification else {
                continue;
            };
            let Some(secret) = self
                .store
                .introspection_secret(entry.tenant_id, entry.id)
                .await?
            else {
                continue; // deleted since the lookup was cached
            };
            let endpoint = IntrospectionEndpoint {
                url,
                client_id,
                client_secret: &secret,
                reach: entry.registered_by.reach(),
            };
            if let Some(claims) = self.introspector.introspect(token, &endpoint).await?
                && introspection_agrees(entry, &claims, now)
            {
                return Ok(Introspected::Active {
                    issuer_id: entry.id,
                    principal: Box::new(principal(entry, slug.clone(), &claims)),
                    expires_at: expiry(&claims),
                });
            }
        }
        Ok(Introspected::Inactive)
    }

    /// The tenant's entries, `None` when there is no such tenant.
    async fn tenant_issuers(&self, slug: &TenantSlug) -> DomainResult<Option<TenantIssuers>> {
        let key = tenant_issuers_key(slug);
        if let Some(hit) = self.cached::<Option<TenantIssuers>>(&key).await {
            return Ok(hit);
        }
        let found = match self.tenants.find_by_slug(slug).await? {
            Some(tenant) => Some(TenantIssuers {
                issuers: self.store.list(tenant.id).await?,
                tenant_id: tenant.id,
                tenant_slug: tenant.slug,
            }),
            None => None,
        };
        self.remember(&key, &found, self.ttls.lookup).await;
        Ok(found)
    }

    /// Every tenant's entry for `iss`, with the tenant's slug.
    async fn by_issuer(&self, iss: &str) -> DomainResult<Vec<IssuerMatch>> {
        let key = issuer_lookup_key(self.hasher.as_ref(), iss);
        if let Some(hit) = self.cached::<Vec<IssuerMatch>>(&key).await {
            return Ok(hit);
        }
        let mut found = Vec::new();
        // Entries a tenant admin registered count on its own `/t/{tenant}/` path only: a
        // tenant naming another's issuer must not make that issuer ambiguous on `/scim/v2`.
        let operators = self.store.find_by_issuer(iss).await?.into_iter();
        for issuer in operators.filter(|e| e.registered_by == Registrar::Operator) {
            if let Some(tenant) = self.tenants.find(issuer.tenant_id).await? {
                found.push(IssuerMatch {
                    tenant_slug: tenant.slug,
                    issuer,
                });
            }
        }
        self.remember(&key, &found, self.ttls.lookup).await;
        Ok(found)
    }

    async fn cached<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        match self.cache.get(key).await {
            Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(error = %err, "cache unavailable; asking the source");
                None
            }
        }
    }

    async fn remember<T: Serialize>(&self, key: &str, value: &T, ttl: Duration) {
        if ttl.is_zero() {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(value)
            && let Err(err) = self.cache.put(key, bytes, ttl).await
        {
            tracing::warn!(error = %err, "cache unavailable; not remembering");
        }
    }
}
