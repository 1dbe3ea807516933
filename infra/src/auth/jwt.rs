//! Access tokens as JWS compact serialisations (RFC 7515) via jsonwebtoken on aws-lc-rs:
//! ES256 only, `typ: at+jwt` (RFC 9068 §2.1) so no other kind of JWT can pass for one.
//! Security Event Tokens are signed with the same keys but `typ: secevent+jwt` (RFC 8417
//! §2.3), so neither can pass for the other.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::event::set::SET_TYP;
use scimgate_domain::oauth::claims::{AccessTokenClaims, Expected};
use scimgate_domain::oauth::signing_key::{KeyMaterial, SigningKey};
use scimgate_domain::ports::JwtCodec;
use serde_json::{Map, Value};

use super::es256;

/// The media type of an OAuth access token in JWT form.
const ACCESS_TOKEN_TYP: &str = "at+jwt";

pub struct Es256JwtCodec;

fn rejected() -> DomainError {
    DomainError::Unauthenticated("invalid, revoked or expired token".into())
}

/// The verifying half of a stored key, from its public JWK.
fn decoding_key(key: &SigningKey) -> DomainResult<DecodingKey> {
    let coordinate = |name: &str| key.public_jwk.get(name).and_then(Value::as_str);
    let (Some(x), Some(y)) = (coordinate("x"), coordinate("y")) else {
        return Err(DomainError::unavailable(std::io::Error::other(format!(
            "signing key {} has no EC coordinates",
            key.kid
        ))));
    };
    DecodingKey::from_ec_components(x, y).map_err(DomainError::unavailable)
}

impl JwtCodec for Es256JwtCodec {
    fn generate_key(&self) -> DomainResult<KeyMaterial> {
        es256::generate()
    }

    fn sign(&self, claims: &AccessTokenClaims, key: &SigningKey) -> DomainResult<String> {
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some(ACCESS_TOKEN_TYP.to_owned());
        header.kid = Some(key.kid.clone());
        encode(
            &header,
            claims,
            &EncodingKey::from_ec_der(key.private_key.expose()),
        )
        .map_err(DomainError::unavailable)
    }

    fn sign_set(&self, claims: &Map<String, Value>, key: &SigningKey) -> DomainResult<String> {
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some(SET_TYP.to_owned());
        header.kid = Some(key.kid.clone());
        encode(
            &header,
            claims,
            &EncodingKey::from_ec_der(key.private_key.expose()),
        )
        .map_err(DomainError::unavailable)
    }

    fn key_id(&self, token: &str) -> Option<String> {
        jsonwebtoken::decode_header(token).ok()?.kid
    }

    fn verify(
        &self,
        token: &str,
        key: &SigningKey,
        expected: &Expected<'_>,
    ) -> DomainResult<AccessTokenClaims> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| rejected())?;
        if header.typ.as_deref() != Some(ACCESS_TOKEN_TYP) {
            return Err(rejected());
        }
        let mut validation = Validation::new(Algorithm::ES256);
        validation.leeway = expected.leeway_secs;
        validation.set_audience(&[expected.audience]);
        validation.set_issuer(&[expected.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let data = decode::<AccessTokenClaims>(token, &decoding_key(key)?, &validation).map_err(
            |err| {
                tracing::debug!(error = %err, kid = %key.kid, "access token refused");
                rejected()
            },
        )?;
        Ok(data.claims)
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use chrono::Utc;
    use scimgate_domain::oauth::claims::AUDIENCE;
    use uuid::Uuid;

    use super::*;

    fn key() -> SigningKey {
        SigningKey::activate(Es256JwtCodec.generate_key().unwrap(), Utc::now())
    }

    fn claims(exp_in: i64) -> AccessTokenClaims {
        let now = Utc::now().timestamp();
        AccessTokenClaims {
            iss: "https://scim.example.com".into(),
            sub: "sgc_0123abcd".into(),
            aud: AUDIENCE.into(),
            tid: Uuid::now_v7(),
            tenant: "acme".into(),
            scope: "scim:read".into(),
            iat: now,
            exp: now + exp_in,
            jti: "j1".into(),
            claims: serde_json::Map::new(),
        }
    }

    fn expected(issuer: &str) -> Expected<'_> {
        Expected {
            issuer,
            audience: AUDIENCE,
            leeway_secs: 0,
        }
    }

    #[test]
    fn signed_token_verifies_and_names_its_key() {
        let key = key();
        let signed = claims(60);
        let token = Es256JwtCodec.sign(&signed, &key).unwrap();

        assert_eq!(Es256JwtCodec.key_id(&token), Some(key.kid.clone()));
        let read = Es256JwtCodec
            .verify(&token, &key, &expected("https://scim.example.com"))
            .unwrap();
        assert_eq!(read, signed);
    }

    #[test]
    fn a_set_names_its_type_and_key_and_is_no_access_token() {
        let key = key();
        let mut set = serde_json::Map::new();
        set.insert("iss".into(), "https://scim.example.com/t/acme".into());
        set.insert("jti".into(), "e1".into());
        let token = Es256JwtCodec.sign_set(&set, &key).unwrap();

        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.typ.as_deref(), Some("secevent+jwt"));
        assert_eq!(header.kid, Some(key.kid.clone()));
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_required_spec_claims::<&str>(&[]);
        validation.validate_aud = false;
        let read = decode::<Map<String, Value>>(&token, &decoding_key(&key).unwrap(), &validation)
            .unwrap();
        assert_eq!(read.claims, set);
        assert!(
            Es256JwtCodec
                .verify(&token, &key, &expected("https://scim.example.com/t/acme"))
                .is_err()
        );
    }

    #[test]
    fn wrong_key_issuer_or_expiry_is_refused() {
        let key = key();
        let token = Es256JwtCodec.sign(&claims(60), &key).unwrap();
        let expired = Es256JwtCodec.sign(&claims(-10), &key).unwrap();
        let good = expected("https://scim.example.com");

        assert!(Es256JwtCodec.verify(&token, &self::key(), &good).is_err());
        assert!(
            Es256JwtCodec
                .verify(&token, &key, &expected("https://evil.example"))
                .is_err()
        );
        assert!(Es256JwtCodec.verify(&expired, &key, &good).is_err());
    }
}
