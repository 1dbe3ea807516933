//! ES256 key pairs (ECDSA P-256, RFC 7518 §3.4) from aws-lc-rs, the crypto jsonwebtoken signs
//! with, and their public halves as JWKs named by their RFC 7638 thumbprint.

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::signing_key::{ES256, KeyMaterial, PrivateKeyDer};
use serde_json::{Map, Value, json};

/// Length of one P-256 coordinate.
const COORDINATE_LEN: usize = 32;

fn crypto_failure(what: &str) -> DomainError {
    DomainError::unavailable(std::io::Error::other(what.to_owned()))
}

/// A new P-256 key pair: PKCS#8 DER of the private key and the public JWK.
pub fn generate() -> DomainResult<KeyMaterial> {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| crypto_failure("cannot generate a P-256 key pair"))?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
        .map_err(|_| crypto_failure("a generated P-256 key does not load"))?;
    let public_jwk = public_jwk(pair.public_key().as_ref())?;
    let kid = public_jwk
        .get("kid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(KeyMaterial {
        kid,
        private_key: PrivateKeyDer::new(pkcs8.as_ref().to_vec()),
        public_jwk,
    })
}

/// The JWK (RFC 7517) of an uncompressed P-256 point (`0x04 || x || y`), with `kid` set to
/// its thumbprint.
pub fn public_jwk(point: &[u8]) -> DomainResult<Map<String, Value>> {
    let coordinates = point
        .strip_prefix(&[0x04])
        .filter(|xy| xy.len() == 2 * COORDINATE_LEN)
        .ok_or_else(|| crypto_failure("not an uncompressed P-256 point"))?;
    let (x, y) = coordinates.split_at(COORDINATE_LEN);
    let x = URL_SAFE_NO_PAD.encode(x);
    let y = URL_SAFE_NO_PAD.encode(y);
    let kid = thumbprint(&x, &y);
    let jwk = json!({
        "kty": "EC",
        "crv": "P-256",
        "x": x,
        "y": y,
        "kid": kid,
        "use": "sig",
        "alg": ES256,
    });
    match jwk {
        Value::Object(map) => Ok(map),
        _ => Err(crypto_failure("a JWK is a JSON object")),
    }
}

/// RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    URL_SAFE_NO_PAD.encode(digest(&SHA256, canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_has_a_thumbprint_kid_and_a_public_jwk() {
        let key = generate().unwrap();
        assert_eq!(key.kid.len(), 43, "base64url of 32 bytes");
        assert_eq!(key.public_jwk["kid"], key.kid.as_str());
        assert_eq!(key.public_jwk["crv"], "P-256");
        assert!(!key.public_jwk.contains_key("d"), "no private part");
        assert_ne!(generate().unwrap().kid, key.kid);
    }
}
