//! The client credentials grant (RFC 6749 §4.4): a client proves its id and secret and gets
//! a short-lived ES256 JWT for its tenant, carrying the scopes it asked for (a subset of those
//! it is allowed) and its fixed claims.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use uuid::Uuid;

use crate::oauth::claims::{AUDIENCE, AccessTokenClaims};
use crate::oauth::client::{ClientId, OAuthClient};
use crate::oauth::error::OAuthError;
use crate::ports::{ClientStore, Clock, JwtCodec, SecretHasher, TenantStore};
use crate::scope::Scope;
use crate::service::auth::key_ring::KeyRing;

/// The client's id and secret, however it sent them (HTTP Basic or form fields).
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

/// What the token endpoint answers.
#[derive(Debug)]
pub struct AccessToken {
    pub access_token: String,
    pub expires_in: u64,
    /// Granted scopes, space-separated.
    pub scope: String,
}

pub struct TokenIssuer {
    clients: Arc<dyn ClientStore>,
    tenants: Arc<dyn TenantStore>,
    hasher: Arc<dyn SecretHasher>,
    keys: Arc<KeyRing>,
    codec: Arc<dyn JwtCodec>,
    clock: Arc<dyn Clock>,
    ttl: Duration,
}

impl TokenIssuer {
    pub fn new(
        clients: Arc<dyn ClientStore>,
        tenants: Arc<dyn TenantStore>,
        hasher: Arc<dyn SecretHasher>,
        keys: Arc<KeyRing>,
        codec: Arc<dyn JwtCodec>,
        clock: Arc<dyn Clock>,
        ttl: Duration,
    ) -> Self {
        Self {
            clients,
            tenants,
            hasher,
            keys,
            codec,
            clock,
            ttl,
        }
    }

    /// Lifetime of the tokens issued, as `expires_in` says it.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues an access token to the client, with `issuer` as `iss`.
    // Refused clients are routine (expired secrets, typos): logged at info, not error.
    #[tracing::instrument(
        skip(self, credentials),
        fields(client = %credentials.client_id),
        err(level = "info")
    )]
    pub async fn client_credentials(
        &self,
        credentials: &ClientCredentials,
        scope: Option<&str>,
        issuer: &str,
    ) -> Result<AccessToken, OAuthError> {
        let client = self.authenticate_client(credentials).await?;
        let granted = grant(&client.scopes, scope)?;
        let tenant = self.tenants.find(client.tenant_id).await?.ok_or_else(|| {
            OAuthError::UnauthorizedClient("the client's tenant no longer exists".into())
        })?;
        let key = self.keys.signing_key().await?;
        let now = self.clock.now();
        let lifetime = TimeDelta::from_std(self.ttl).unwrap_or(TimeDelta::MAX);
        let scope = granted
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let claims = AccessTokenClaims {
            iss: issuer.to_owned(),
            sub: client.client_id.to_string(),
            aud: AUDIENCE.to_owned(),
            tid: tenant.id.0,
            tenant: tenant.slug.to_string(),
            scope: scope.clone(),
            iat: now.timestamp(),
            exp: now.timestamp().saturating_add(lifetime.num_seconds()),
            jti: Uuid::now_v7().to_string(),
            claims: client.claims.into_map(),
        };
        let access_token = self.codec.sign(&claims, &key)?;
        Ok(AccessToken {
            access_token,
            expires_in: self.ttl.as_secs(),
            scope,
        })
    }

    /// The client, if the id names an unrevoked client and the secret is its secret. Every
    /// failure reads the same to the caller.
    async fn authenticate_client(
        &self,
        credentials: &ClientCredentials,
    ) -> Result<OAuthClient, OAuthError> {
        let rejected = || OAuthError::InvalidClient("client authentication failed".into());
        let id = ClientId::parse(&credentials.client_id).map_err(|_| rejected())?;
        let client = self.clients.find(&id).await?.ok_or_else(rejected)?;
        if client.is_revoked()
            || !self
                .hasher
                .verify(&credentials.client_secret, &client.secret_hash)
                .await?
        {
            return Err(rejected());
        }
        Ok(client)
    }
}

/// The scopes to grant: those requested (space-separated, RFC 6749 §3.3), each of which must
/// be one the client is allowed, or all allowed ones when none are requested. Literal subset
/// on purpose: a scope is granted only if the operator named it for this client.
pub fn grant(allowed: &[Scope], requested: Option<&str>) -> Result<Vec<Scope>, OAuthError> {
    let mut granted = Vec::new();
    for raw in requested
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
    {
        let scope = Scope::parse(raw)
            .map_err(|_| OAuthError::InvalidScope(format!("unknown scope '{raw}'")))?;
        if !allowed.contains(&scope) {
            return Err(OAuthError::InvalidScope(format!(
                "scope '{raw}' is not allowed for this client"
            )));
        }
        if !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    if granted.is_empty() {
        granted = allowed.to_vec();
    }
    Ok(granted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_requested_scope_grants_everything_allowed() {
        let allowed = [Scope::Read, Scope::Write];
        assert_eq!(grant(&allowed, None).unwrap(), allowed.to_vec());
        assert_eq!(grant(&allowed, Some("  ")).unwrap(), allowed.to_vec());
    }

    #[test]
    fn requested_scopes_must_each_be_allowed() {
        let allowed = [Scope::Read, Scope::Write];
        assert_eq!(
            grant(&allowed, Some("scim:read scim:read")).unwrap(),
            vec![Scope::Read]
        );
        assert!(matches!(
            grant(&allowed, Some("scim:read scim:users:write")),
            Err(OAuthError::InvalidScope(_))
        ));
        assert!(matches!(
            grant(&allowed, Some("openid")),
            Err(OAuthError::InvalidScope(_))
        ));
    }
}
