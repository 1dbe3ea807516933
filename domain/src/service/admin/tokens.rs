//! Admin use cases for a tenant's opaque tokens: issue (the token is shown once), list,
//! update (name, scopes, fixed claims, policy) and revoke; every change is audited. The
//! `AdminContext` keeps a tenant admin to its own tenant's tokens.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::admin_name::AdminName;
use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::oauth::client::FixedClaims;
use crate::ports::{Cache, Clock, SecretHasher, TenantStore, TokenStore};
use crate::scope::Scope;
use crate::service::admin::context::AdminContext;
use crate::service::admin::credential_change::{CredentialChange, CredentialFields};
use crate::service::admin::tenants::scopes_or_default;
use crate::service::audit::Auditor;
use crate::service::auth::authenticate::token_cache_key;
use crate::tenant::{TenantId, TenantSlug};
use crate::token::{TokenId, TokenRecord, format_token};

/// What to issue.
#[derive(Default)]
pub struct TokenRequest {
    pub name: AdminName,
    /// Empty means `Scope::DEFAULT`.
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
    pub claims: FixedClaims,
    pub policy: Option<Policy>,
}

/// What to change on an existing token. The secret and the expiry stay as issued.
pub type TokenChange = CredentialChange;

/// Applies a change to a stored token.
fn apply(change: TokenChange, record: &mut TokenRecord) {
    change.apply(CredentialFields {
        name: &mut record.name,
        scopes: &mut record.scopes,
        claims: &mut record.claims,
        policy: &mut record.policy,
    });
}

/// The longest an old token may keep working after its rotation.
pub const MAX_ROTATION_GRACE: TimeDelta = TimeDelta::days(30);

/// A rotation's outcome: the new token (shown once) and when the old one stops working.
pub struct Rotated {
    pub new: IssuedToken,
    pub old_expires_at: DateTime<Utc>,
}

/// A new token: the record and the secret-bearing string shown exactly once.
pub struct IssuedToken {
    pub record: TokenRecord,
    pub token: String,
}

pub struct TokenAdmin {
    tenants: Arc<dyn TenantStore>,
    tokens: Arc<dyn TokenStore>,
    hasher: Arc<dyn SecretHasher>,
    cache: Arc<dyn Cache>,
    clock: Arc<dyn Clock>,
    audit: Arc<Auditor>,
}

impl TokenAdmin {
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

    /// Tokens minted by a tenant admin may carry any scope of its tenant, `scim:admin`
    /// included: the tenant admin is the tenant's root credential (it could create an OAuth
    /// client with those scopes anyway), and nothing it mints reaches another tenant.
    #[tracing::instrument(skip(self, ctx, request), fields(tenant = %slug))]
    pub async fn issue(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: TokenRequest,
    ) -> DomainResult<IssuedToken> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
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
            name: request.name.into_string(),
            scopes,
            created: now,
            expires_at: request.expires_at,
            revoked_at: None,
            claims: request.claims,
            policy: request.policy,
        };
        self.tokens.insert(&record).await?;
        let token = format_token(&record.id, &secret);
        Ok(IssuedToken { record, token })
    }

    pub async fn list(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<Vec<TokenRecord>> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.tokens.list(tenant.id).await
    }

    /// The token, if `ctx` may administer its tenant (404 otherwise, as if absent).
    pub async fn get(&self, ctx: &AdminContext, id: &TokenId) -> DomainResult<TokenRecord> {
        let missing = || DomainError::NotFound(format!("no token with id '{id}'"));
        let token = self.tokens.find(id).await?.ok_or_else(missing)?;
        ctx.check_tenant(token.tenant_id, || missing().to_string())?;
        Ok(token)
    }

    /// Changes what the token may do. Stores first, then drops the cached verification (as
    /// revocation does), so the next request with the token gets the new scopes, claims and
    /// policy on this replica and every replica sharing the cache.
    #[tracing::instrument(skip(self, ctx, change))]
    pub async fn update(
        &self,
        ctx: &AdminContext,
        id: &TokenId,
        change: TokenChange,
    ) -> DomainResult<TokenRecord> {
        let token = self.get(ctx, id).await?;
        let event = ctx
            .event(token.tenant_id, "token.update", "Token")
            .target(id);
        self.audit
            .audited(event, 200, self.store_change(token, change).await)
            .await
    }

    async fn store_change(
        &self,
        mut token: TokenRecord,
        change: TokenChange,
    ) -> DomainResult<TokenRecord> {
        if token.revoked_at.is_some() {
            return Err(DomainError::Conflict(format!(
                "token '{}' is revoked; issue a new one",
                token.id
            )));
        }
        apply(change, &mut token);
        if !self.tokens.update(&token).await? {
            return Err(DomainError::Conflict(format!(
                "token '{}' was revoked meanwhile",
                token.id
            )));
        }
        self.cache.remove(&token_cache_key(&token.id)).await?;
        Ok(token)
    }

    /// Rotation: a new token with the old one's name, scopes, claims, policy and expiry,
    /// while the old one keeps working for `grace` (at most `MAX_ROTATION_GRACE`; 0 ends it
    /// now) and then expires. The old token's cached verification is dropped, so every
    /// replica sees the shortened life at its next request.
    #[tracing::instrument(skip(self, ctx))]
    pub async fn rotate(
        &self,
        ctx: &AdminContext,
        id: &TokenId,
        grace: TimeDelta,
    ) -> DomainResult<Rotated> {
        let old = self.get(ctx, id).await?;
        let tenant = old.tenant_id;
        let event = ctx.event(tenant, "token.rotate", "Token").target(id);
        let result = self.rotate_stored(old, grace).await;
        if let Ok(rotated) = &result {
            let created = ctx.event(tenant, "token.create", "Token");
            self.audit
                .record(created.target(&rotated.new.record.id), 201, &result)
                .await;
        }
        self.audit.audited(event, 201, result).await
    }

    async fn rotate_stored(&self, old: TokenRecord, grace: TimeDelta) -> DomainResult<Rotated> {
        if grace < TimeDelta::zero() || grace > MAX_ROTATION_GRACE {
            return Err(DomainError::InvalidValue(format!(
                "the grace period must be between 0 and {} days",
                MAX_ROTATION_GRACE.num_days()
            )));
        }
        let now = self.clock.now();
        if !old.is_usable_at(now) {
            return Err(DomainError::Conflict(format!(
                "token '{}' is revoked or expired; issue a new one",
                old.id
            )));
        }
        let request = TokenRequest {
            name: AdminName::parse(old.name.clone())?,
            scopes: old.scopes.clone(),
            expires_at: old.expires_at,
            claims: old.claims.clone(),
            policy: old.policy.clone(),
        };
        // The old token's life is shortened first: a failure after it leaves the old token
        // working for the grace period, never an unaudited new token.
        let until = now + grace;
        if !self.tokens.expire_by(&old.id, until).await? {
            return Err(DomainError::Conflict(format!(
                "token '{}' was revoked meanwhile",
                old.id
            )));
        }
        self.cache.remove(&token_cache_key(&old.id)).await?;
        let new = self.mint(old.tenant_id, request).await?;
        let old_expires_at = old.expires_at.map_or(until, |exp| exp.min(until));
        Ok(Rotated {
            new,
            old_expires_at,
        })
    }

    /// Revokes in the store first, then drops the cached verification so this replica (and
    /// every replica sharing the cache) refuses the token at once.
    #[tracing::instrument(skip(self, ctx))]
    pub async fn revoke(&self, ctx: &AdminContext, id: &TokenId) -> DomainResult<TokenRecord> {
        let token = self.get(ctx, id).await?;
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
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use serde_json::json;

    use super::*;

    fn record() -> TokenRecord {
        TokenRecord {
            id: TokenId::parse("0123abcd").unwrap(),
            tenant_id: TenantId(Uuid::now_v7()),
            name: "partner".into(),
            scopes: vec![Scope::Read],
            claims: FixedClaims::parse(json!({"org": "partner-a"})).unwrap(),
            policy: Some(serde_json::from_value(json!({"readable": ["userName"]})).unwrap()),
            created: Utc::now(),
            expires_at: None,
            revoked_at: None,
            secret_hash: "hash".into(),
        }
    }

    #[test]
    fn a_token_change_keeps_what_it_does_not_name() {
        let original = record();
        let mut token = original.clone();

        let change = TokenChange {
            name: Some(AdminName::parse("renamed").unwrap()),
            ..TokenChange::default()
        };
        apply(change, &mut token);

        let expected = TokenRecord {
            name: "renamed".into(),
            ..original
        };
        assert_eq!(token, expected);
    }

    #[test]
    fn a_token_change_empties_claims_removes_the_policy_and_defaults_scopes() {
        let mut token = record();

        let change = TokenChange {
            scopes: Some(Vec::new()),
            claims: Some(FixedClaims::default()),
            policy: Some(None),
            ..TokenChange::default()
        };
        apply(change, &mut token);

        assert_eq!(token.scopes, Scope::DEFAULT);
        assert!(token.claims.as_map().is_empty());
        assert_eq!(token.policy, None);
        assert_eq!(token.name, "partner");
    }
}
