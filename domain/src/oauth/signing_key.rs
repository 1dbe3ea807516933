//! The keys that sign access tokens. One key is active (it signs); keys retired by a rotation
//! stay verifiable until `not_after`, so tokens signed just before a rotation keep working.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The only algorithm scimgate signs with: ECDSA P-256 with SHA-256 (RFC 7518 §3.4).
pub const ES256: &str = "ES256";

/// PKCS#8 DER of a private key. Never printed: `Debug` shows only that it is there.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyDer(Vec<u8>);

impl PrivateKeyDer {
    pub fn new(der: Vec<u8>) -> Self {
        Self(der)
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for PrivateKeyDer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKeyDer(..)")
    }
}

/// A freshly generated key pair, before it is stored.
#[derive(Debug, Clone)]
pub struct KeyMaterial {
    /// The RFC 7638 thumbprint of the public key: stable, unique, and safe to publish.
    pub kid: String,
    pub private_key: PrivateKeyDer,
    /// The public key as a JWK (RFC 7517), with `kid`, `alg` and `use`.
    pub public_jwk: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    pub algorithm: String,
    pub private_key: PrivateKeyDer,
    pub public_jwk: Map<String, Value>,
    pub created: DateTime<Utc>,
    /// Verification allowed until then; `None` while the key is active.
    pub not_after: Option<DateTime<Utc>>,
    pub active: bool,
}

impl SigningKey {
    /// A new active key from generated material.
    pub fn activate(material: KeyMaterial, now: DateTime<Utc>) -> Self {
        Self {
            kid: material.kid,
            algorithm: ES256.to_owned(),
            private_key: material.private_key,
            public_jwk: material.public_jwk,
            created: now,
            not_after: None,
            active: true,
        }
    }

    /// Whether tokens signed with this key are still accepted at `now`.
    pub fn is_verifiable_at(&self, now: DateTime<Utc>) -> bool {
        self.active || self.not_after.is_some_and(|until| until > now)
    }
}
