//! Secrets at rest as argon2id PHC strings; whole credentials as HMAC-SHA256 fingerprints for
//! cache entries, so a cache reader learns nothing it could present.

use argon2::password_hash::Error as HashError;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use rand::Rng;
use rand::distr::Alphanumeric;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::SecretHasher;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// 43 characters of 62 possible values carry log2(62) * 43 ≈ 256 bits.
const SECRET_LEN: usize = 43;

// No `Debug`: the keyed HMAC state must not end up in a log line.
pub struct Argon2Hasher {
    /// HMAC state already keyed; cloned per fingerprint instead of re-deriving the pads.
    fingerprint_mac: HmacSha256,
}

impl Argon2Hasher {
    /// `fingerprint_key` should hold at least 32 random bytes shared by every replica, so
    /// fingerprints written by one are recognised by the others.
    pub fn new(fingerprint_key: Vec<u8>) -> Self {
        let fingerprint_mac = match HmacSha256::new_from_slice(&fingerprint_key) {
            Ok(mac) => mac,
            // HMAC hashes long keys and pads short ones: hmac 0.12 never returns this error.
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        Self { fingerprint_mac }
    }
}

/// Argon2 costs tens of milliseconds of CPU: keep it off the async worker threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> DomainResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(DomainError::unavailable)
}

/// Whether `secret` matches the PHC string `stored`. A stored value that is not a usable
/// argon2 hash matches nothing: the caller sees a wrong credential, the log sees why.
fn matches(secret: &[u8], stored: &str) -> bool {
    let parsed = match PasswordHash::new(stored) {
        Ok(parsed) => parsed,
        Err(err) => {
            tracing::warn!(error = %err, "stored secret hash is not a PHC string");
            return false;
        }
    };
    match Argon2::default().verify_password(secret, &parsed) {
        Ok(()) => true,
        Err(HashError::PasswordInvalid) => false,
        Err(err) => {
            tracing::warn!(error = %err, "stored secret hash cannot be verified");
            false
        }
    }
}

#[async_trait]
impl SecretHasher for Argon2Hasher {
    async fn hash(&self, secret: &str) -> DomainResult<String> {
        let secret = secret.to_owned();
        // Default params are argon2id v19; `hash_password` draws a fresh salt from the OS.
        let hashed = blocking(move || Argon2::default().hash_password(secret.as_bytes())).await?;
        hashed
            .map(|phc| phc.to_string())
            .map_err(DomainError::unavailable)
    }

    async fn verify(&self, secret: &str, hash: &str) -> DomainResult<bool> {
        let secret = secret.to_owned();
        let hash = hash.to_owned();
        blocking(move || matches(secret.as_bytes(), &hash)).await
    }

    fn fingerprint(&self, credential: &str) -> String {
        let mut mac = self.fingerprint_mac.clone();
        mac.update(credential.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn random_secret(&self) -> String {
        // The thread RNG is a CSPRNG seeded and periodically reseeded from the OS.
        rand::rng()
            .sample_iter(Alphanumeric)
            .take(SECRET_LEN)
            .map(char::from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> Argon2Hasher {
        Argon2Hasher::new(vec![7; 32])
    }

    #[tokio::test]
    async fn hash_then_verify_accepts_the_secret() {
        let hasher = hasher();
        let hash = hasher.hash("s3cret").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"));
        assert!(hasher.verify("s3cret", &hash).await.unwrap());
    }

    #[tokio::test]
    async fn verify_rejects_a_wrong_secret() {
        let hasher = hasher();
        let hash = hasher.hash("s3cret").await.unwrap();
        assert!(!hasher.verify("s3cret!", &hash).await.unwrap());
    }

    #[tokio::test]
    async fn verify_treats_a_malformed_hash_as_no_match() {
        let hasher = hasher();
        for stored in ["", "plaintext", "$argon2id$v=19$m=19456", "$bcrypt$xyz$abc"] {
            assert!(
                !hasher.verify("s3cret", stored).await.unwrap(),
                "{stored:?}"
            );
        }
    }

    #[tokio::test]
    async fn hashing_twice_gives_different_salted_hashes() {
        let hasher = hasher();
        let first = hasher.hash("s3cret").await.unwrap();
        let second = hasher.hash("s3cret").await.unwrap();
        assert_ne!(first, second);
        assert!(hasher.verify("s3cret", &second).await.unwrap());
    }

    #[test]
    fn fingerprint_is_deterministic_per_key_and_differs_across_keys() {
        let one = hasher();
        let same_key = hasher();
        let other_key = Argon2Hasher::new(vec![8; 32]);
        let fingerprint = one.fingerprint("token.secret");
        assert_eq!(fingerprint.len(), 64);
        assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(fingerprint, same_key.fingerprint("token.secret"));
        assert_ne!(fingerprint, other_key.fingerprint("token.secret"));
        assert_ne!(fingerprint, one.fingerprint("token.secreT"));
    }

    #[test]
    fn random_secret_is_43_alphanumerics_and_new_each_time() {
        let hasher = hasher();
        let first = hasher.random_secret();
        assert_eq!(first.len(), 43);
        assert!(first.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(first, hasher.random_secret());
    }
}
