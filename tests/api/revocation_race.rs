//! A revoke that lands while a credential is being verified: the verifier read the row before
//! the revoke and caches what it found after the revoke dropped the cache entry. That entry
//! must not keep the revoked opaque token, or the revoked OAuth client's JWTs, working until
//! it expires.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::client::{ClientId, OAuthClient};
use scimgate_domain::ports::{Cache, ClientStore, SystemClock, TokenStore};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::auth::authenticate::{Authenticator, token_cache_key};
use scimgate_domain::service::auth::jwt_bearer::JwtBearer;
use scimgate_domain::service::auth::jwt_bearer::client_cache_key;
use scimgate_domain::service::auth::key_ring::KeyRing;
use scimgate_domain::tenant::{TenantId, TenantSlug};
use scimgate_domain::token::{TokenId, TokenRecord};
use scimgate_infra::auth::{Argon2Hasher, Es256JwtCodec};
use scimgate_infra::cache::memory::MemoryCache;
use scimgate_infra::db::{
    DatabaseConnection, SqlClientStore, SqlSigningKeyStore, SqlTenantStore, SqlTokenStore,
};
use scimgate_infra::sealing::Sealer;

use crate::admin_support::issue;
use crate::helpers::spawn_tenant;
use crate::oauth::support::{access_token, create_client};

const TTL: Duration = Duration::from_secs(600);

/// A verifier of scimgate's JWTs on the app's database, with `clients` as the client table.
fn jwt_bearer(
    db: &DatabaseConnection,
    clients: Arc<dyn ClientStore>,
    cache: Arc<dyn Cache>,
) -> JwtBearer {
    let keys = Arc::new(KeyRing::new(
        Arc::new(SqlSigningKeyStore::new(
            db.clone(),
            Arc::new(Sealer::plain()),
        )),
        Arc::new(Es256JwtCodec),
        Arc::new(SystemClock),
        TTL,
    ));
    JwtBearer::new(
        keys,
        Arc::new(Es256JwtCodec),
        clients,
        Arc::new(SqlTenantStore::new(db.clone())),
        cache,
        TTL,
    )
}

/// The client table, where a revoke completes right after the first read.
struct ClientRevokedDuringFirstRead {
    inner: SqlClientStore,
    cache: Arc<dyn Cache>,
    raced: AtomicBool,
}

#[async_trait]
impl ClientStore for ClientRevokedDuringFirstRead {
    async fn insert(&self, client: &OAuthClient) -> DomainResult<()> {
        self.inner.insert(client).await
    }

    async fn find(&self, id: &ClientId) -> DomainResult<Option<OAuthClient>> {
        let found = self.inner.find(id).await?;
        if !self.raced.swap(true, Ordering::SeqCst) {
            self.inner.revoke(id, Utc::now()).await?;
            self.cache.remove(&client_cache_key(id)).await?;
        }
        Ok(found)
    }

    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<OAuthClient>> {
        self.inner.list(tenant).await
    }

    async fn revoke(&self, id: &ClientId, at: DateTime<Utc>) -> DomainResult<Option<OAuthClient>> {
        self.inner.revoke(id, at).await
    }

    async fn update(&self, client: &OAuthClient) -> DomainResult<bool> {
        self.inner.update(client).await
    }
}

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

    async fn expire_by(&self, id: &TokenId, at: DateTime<Utc>) -> DomainResult<bool> {
        self.inner.expire_by(id, at).await
    }
}

#[tokio::test]
async fn a_revoke_racing_a_verification_is_not_outlived_by_its_cache_entry() {
    // Arrange: an authenticator on the app's database, with the racing token table.
    let (app, _acme) = spawn_tenant("acme").await;
    let credential = issue(&app, "acme", &[Scope::Read]).await;
    let db = app.db.clone();
    let cache: Arc<dyn Cache> = Arc::new(MemoryCache::new(1000));
    let clients = Arc::new(SqlClientStore::new(db.clone()));
    let jwt = jwt_bearer(&db, clients, cache.clone());
    let tokens = RevokedDuringFirstRead {
        inner: SqlTokenStore::new(db),
        cache: cache.clone(),
        raced: AtomicBool::new(false),
    };
    let authenticator = Authenticator::new(
        Arc::new(tokens),
        Arc::new(SqlTenantStore::new(app.db.clone())),
        Arc::new(Argon2Hasher::new(b"fingerprint key".to_vec())),
        cache,
        Arc::new(SystemClock),
        TTL,
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

#[tokio::test]
async fn a_client_revoke_racing_a_jwt_verification_is_not_outlived_by_the_cached_status() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], serde_json::json!({})).await;
    let jwt = access_token(&app, &client).await;
    let cache: Arc<dyn Cache> = Arc::new(MemoryCache::new(1000));
    let clients = ClientRevokedDuringFirstRead {
        inner: SqlClientStore::new(app.db.clone()),
        cache: cache.clone(),
        raced: AtomicBool::new(false),
    };
    let bearer = jwt_bearer(&app.db, Arc::new(clients), cache);

    // Act
    let racing = bearer.authenticate(&jwt, &app.origin).await;
    let after = bearer.authenticate(&jwt, &app.origin).await;

    // Assert
    racing.expect("verified before the revoke committed");
    assert!(
        matches!(after, Err(DomainError::Unauthenticated(_))),
        "the revoked client's token still works: {after:?}"
    );
}
