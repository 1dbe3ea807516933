//! Wiring of the tenants' own authorization servers: the store, the JWKS cache and verifier,
//! the introspection client, and the services on top of them.

use std::sync::Arc;
use std::time::Duration;

use scimgate_domain::ports::{TenantStore, TrustedIssuerStore};
use scimgate_domain::service::admin::trusted_issuers::TrustedIssuerAdmin;
use scimgate_domain::service::auth::trusted_bearer::{
    TokenCheckers, TrustedBearer, TrustedCacheTtls, TrustedIssuerPorts,
};
use scimgate_infra::auth::external_jwt::JwksJwtVerifier;
use scimgate_infra::auth::introspection::OAuth2Introspector;
use scimgate_infra::auth::jwks::{JwksCache, JwksSettings};
use scimgate_infra::auth::outbound::Outbound;
use scimgate_infra::auth::public_network::PublicNetwork;
use scimgate_infra::db::SqlTrustedIssuerStore;

use super::{Shared, StartupError};
use crate::config::Settings;

/// How long an inactive introspection answer is remembered.
const INACTIVE_TTL: Duration = Duration::from_secs(30);

pub(super) struct Trusted {
    pub bearer: TrustedBearer,
    pub admin: TrustedIssuerAdmin,
}

pub(super) fn trusted(settings: &Settings, shared: &Shared) -> Result<Trusted, StartupError> {
    let Shared {
        conn,
        hasher,
        cache,
        clock,
        audit,
        sealer,
        ..
    } = shared;
    let tenants: Arc<dyn TenantStore> = shared.tenants.clone();
    let store: Arc<dyn TrustedIssuerStore> =
        Arc::new(SqlTrustedIssuerStore::new(conn.clone(), sealer.clone()));
    let allowed = PublicNetwork::parse_allowed(&settings.tenant_issuer_allowed_networks)
        .map_err(StartupError::AllowedNetworks)?;
    let network = PublicNetwork::new(&allowed);
    let http = Arc::new(Outbound::new(network.clone()).map_err(StartupError::HttpClient)?);
    let jwks = JwksCache::new(
        http.clone(),
        JwksSettings {
            // 0 would let every made-up `kid` cost the issuer a fetch.
            min_refresh: settings.jwks_min_refresh.max(Duration::from_secs(1)),
            max_age: settings.jwks_max_age,
        },
    );
    let ttls = TrustedCacheTtls {
        lookup: settings.token_cache_ttl,
        introspection_max: settings.introspection_cache_max,
        inactive: INACTIVE_TTL,
    };
    let ports = TrustedIssuerPorts {
        store,
        tenants,
        hasher: hasher.clone(),
        cache: cache.clone(),
        clock: clock.clone(),
    };
    let checkers = TokenCheckers {
        verifier: Arc::new(JwksJwtVerifier::new(jwks)),
        introspector: Arc::new(OAuth2Introspector::new(http)),
    };
    Ok(Trusted {
        bearer: TrustedBearer::new(ports.clone(), checkers, ttls),
        admin: TrustedIssuerAdmin::new(ports, audit.clone(), Arc::new(network)),
    })
}
