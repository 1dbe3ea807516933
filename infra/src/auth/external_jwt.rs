//! JWTs of trusted authorization servers, verified with jsonwebtoken against the issuer's
//! JWK Set: asymmetric algorithms only (RS*, PS*, ES256/384, EdDSA; never HS* or `none`, whose
//! "key" would be public), the key's own `alg` when it states one, `exp` and `nbf` with the
//! leeway, `iss` and `aud`.

use async_trait::async_trait;
use jsonwebtoken::jwk::KeyAlgorithm;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::claims::Expected;
use scimgate_domain::oauth::trusted_issuer::Reach;
use scimgate_domain::ports::ExternalJwtVerifier;
use serde_json::{Map, Value};

use super::jwks::JwksCache;

const ACCEPTED: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

pub struct JwksJwtVerifier {
    jwks: JwksCache,
}

impl JwksJwtVerifier {
    pub fn new(jwks: JwksCache) -> Self {
        Self { jwks }
    }
}

fn rejected() -> DomainError {
    DomainError::Unauthenticated("invalid, revoked or expired token".into())
}

#[async_trait]
impl ExternalJwtVerifier for JwksJwtVerifier {
    async fn verify(
        &self,
        token: &str,
        jwks_url: &str,
        reach: Reach,
        expected: &Expected<'_>,
    ) -> DomainResult<Map<String, Value>> {
        let header = decode_header(token).map_err(|_| rejected())?;
        if !ACCEPTED.contains(&header.alg) {
            return Err(rejected());
        }
        let jwk = self
            .jwks
            .key(jwks_url, reach, header.kid.as_deref())
            .await?
            .ok_or_else(|| {
                tracing::debug!(kid = ?header.kid, "no such key in the trusted issuer's JWK Set");
                rejected()
            })?;
        if jwk
            .common
            .key_algorithm
            .is_some_and(|alg| alg != KeyAlgorithm::from(header.alg))
        {
            return Err(rejected());
        }
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| rejected())?;
        let mut validation = Validation::new(header.alg);
        validation.leeway = expected.leeway_secs;
        validation.validate_nbf = true;
        validation.set_audience(&[expected.audience]);
        validation.set_issuer(&[expected.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        decode::<Map<String, Value>>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|err| {
                tracing::debug!(error = %err, "trusted issuer's token refused");
                rejected()
            })
    }
}
