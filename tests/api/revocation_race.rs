//! A revoke that lands while a token is being verified: the verifier read the row before the
//! revoke and caches its verification after the revoke dropped the cache entry. That entry
//! must not keep the revoked token working until it expires.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::{Cache, SystemClock, TokenStore};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::authenticate::{Authenticator, token_cache_key};
use scimgate_domain::service::jwt_bearer::JwtBearer;
use scimgate_domain::service::key_ring::KeyRing;
use scimgate_domain::tenant::{TenantId, TenantSlug};
use scimgate_domain::token::{TokenId, TokenRecord};
use scimgate_infra::auth::{Argon2Hasher, Es256JwtCodec};
use scimgate_infra::cache::memory::MemoryCache;
use scimgate_infra::db::{SqlClientStore, SqlSigningKeyStore, SqlTenantStore, SqlTokenStore};
use scimgate_infra::sealing::Sealer;

use crate::admin_support::issue;
use crate::helpers::spawn_app;

/// The token table, where a revoke (row and cache entry) completes right after the first
/// read, as if an admin's request ran between the verifier's read and its cache write.
struct RevokedDuringFirstRead {
    inner: SqlTokenStore,
    cache: Arc<dyn Cache>,
    raced: AtomicBool,
}

#[async_trait]
impl TokenStore for RevokedDuringFirstRead {
    async fn insert(&self, token: &TokenRecord) -> DomainResult<()> {
        self.inner.insert(token).await
    }

    async fn find(&self, id: &TokenId) -> DomainResult<Option<TokenRecord>> {
        let found = self.inner.find(id).await?;
        if !self.raced.swap(true, Ordering::SeqCst) {
            self.inner.revoke(id, Utc::now()).await?;
            self.cache.remove(&token_cache_key(id)).await?;
        }
        Ok(found)
    }

    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<TokenRecord>> {
        self.inner.list(tenant).await
    }

    async fn revoke(&self, id: &TokenId, at: DateTime<Utc>) -> DomainResult<Option<TokenRecord>> {
        self.inner.revoke(id, at).await
    }

    async fn update(&self, token: &TokenRecord) -> DomainResult<bool> {
        self.inner.update(token).await
    }
}

#[tokio::test]
async fn a_revoke_racing_a_verification_is_not_outlived_by_its_cache_entry() {
    // Arrange: an authenticator on the app's database, with the racing token table.
    let app = spawn_app().await;
    app.tenant("acme").await;
    let credential = issue(&app, "acme", &[Scope::Read]).await;
    let db = app.db.clone();
    let cache: Arc<dyn Cache> = Arc::new(MemoryCache::new(1000));
    let tenants = Arc::new(SqlTenantStore::new(db.clone()));
    let ttl = Duration::from_secs(600);
    let keys = Arc::new(KeyRing::new(
        Arc::new(SqlSigningKeyStore::new(
            db.clone(),
            Arc::new(Sealer::plain()),
        )),
        Arc::new(Es256JwtCodec),
        Arc::new(SystemClock),
        ttl,
    ));
    let jwt = JwtBearer::new(
        keys,
        Arc::new(Es256JwtCodec),
        Arc::new(SqlClientStore::new(db.clone())),
        tenants.clone(),
        cache.clone(),
        ttl,
    );
    let tokens = RevokedDuringFirstRead {
        inner: SqlTokenStore::new(db),
        cache: cache.clone(),
        raced: AtomicBool::new(false),
    };
    let authenticator = Authenticator::new(
        Arc::new(tokens),
        tenants,
        Arc::new(Argon2Hasher::new(b"fingerprint key".to_vec())),
        cache,
        Arc::new(SystemClock),
        ttl,
        jwt,
    );
    let issuer = "http://127.0.0.1";

    // Act: the first verification read the row before the revoke; the next comes after it.
    let racing = authenticator.authenticate(&credential.token, issuer).await;
    let after = authenticator.authenticate(&credential.token, issuer).await;

    // Assert
    let racing = racing.expect("verified before the revoke committed");
    assert_eq!(racing.tenant_slug, TenantSlug::parse("acme").unwrap());
    assert!(
        matches!(after, Err(DomainError::Unauthenticated(_))),
        "the revoked token still works: {after:?}"
    );
}
