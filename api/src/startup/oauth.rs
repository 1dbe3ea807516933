//! Wiring of scimgate's own OAuth authorization server: clients, signing keys, the token
//! issuer and the verifier of the JWTs it issues.

use std::sync::Arc;

use scimgate_domain::service::admin::clients::ClientAdmin;
use scimgate_domain::service::auth::jwt_bearer::JwtBearer;
use scimgate_domain::service::auth::key_ring::KeyRing;
use scimgate_domain::service::auth::token_issuer::TokenIssuer;
use scimgate_infra::auth::jwt::Es256JwtCodec;
use scimgate_infra::db::{SqlClientStore, SqlSigningKeyStore};

use super::{Shared, StartupError};
use crate::config::Settings;

/// The OAuth authorization server's parts, on the same stores, hasher, cache and clock as
/// the rest.
pub(super) struct OAuth {
    pub clients: ClientAdmin,
    pub keys: Arc<KeyRing>,
    pub issuer: TokenIssuer,
    pub bearer: JwtBearer,
}

/// Builds the OAuth parts and makes sure a signing key is active (the first start makes one;
/// replicas starting together end up with exactly one).
pub(super) async fn oauth(settings: &Settings, shared: &Shared) -> Result<OAuth, StartupError> {
    let Shared {
        conn,
        tenants,
        hasher,
        cache,
        clock,
        audit,
        sealer,
    } = shared;
    let clients = Arc::new(SqlClientStore::new(conn.clone()));
    let codec = Arc::new(Es256JwtCodec);
    let ttl = settings.oauth_token_ttl;
    let keys = Arc::new(KeyRing::new(
        Arc::new(SqlSigningKeyStore::new(conn.clone(), sealer.clone())),
        codec.clone(),
        clock.clone(),
        ttl,
    ));
    keys.ensure_active_key()
        .await
        .map_err(StartupError::SigningKey)?;
    Ok(OAuth {
        clients: ClientAdmin::new(
            tenants.clone(),
            clients.clone(),
            hasher.clone(),
            cache.clone(),
            clock.clone(),
            audit.clone(),
        ),
        issuer: TokenIssuer::new(
            clients.clone(),
            tenants.clone(),
            hasher.clone(),
            keys.clone(),
            codec.clone(),
            clock.clone(),
            ttl,
        ),
        bearer: JwtBearer::new(
            keys.clone(),
            codec,
            clients,
            tenants.clone(),
            cache.clone(),
            settings.token_cache_ttl,
        ),
        keys,
    })
}
