//! Secrets at rest as argon2id PHC strings; whole credentials as HMAC-SHA256 fingerprints for
//! cache entries, so a cache reader learns nothing it could present. Every argon2 run (hash or
//! verify) holds one of as many permits as the process has cores (at most four), so memory
//! stays bounded (~19 MiB per run) whatever the concurrency; verifications also pass
//! `VerifyGate`.

use std::sync::Arc;

use argon2::password_hash::Error as HashError;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Meter};
use rand::Rng;
use rand::distr::Alphanumeric;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::SecretHasher;
use sha2::Sha256;
use tokio::sync::Semaphore;

use crate::auth::verify_gate::{Attempt, Credential, VerifyGate};

type HmacSha256 = Hmac<Sha256>;

/// 43 characters of 62 possible values carry log2(62) * 43 ≈ 256 bits.
const SECRET_LEN: usize = 43;

/// Argon2 runs at once, whatever the core count: a pod without a CPU limit sees all of a big
/// node's cores, and 4 × 19 MiB stays well inside the Helm chart's 512 MiB limit. Verified
/// outcomes are remembered (`VerifyGate`), so more would rarely be used anyway.
const MAX_RUNS_AT_ONCE: usize = 4;

/// One run per core (`available_parallelism` follows cgroup CPU quotas), at most
/// `MAX_RUNS_AT_ONCE`: more runs than cores would only queue on the CPU while holding memory.
fn runs_at_once() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_RUNS_AT_ONCE)
}

// No `Debug`: the keyed HMAC state must not end up in a log line.
pub struct Argon2Hasher {
    /// HMAC state already keyed; cloned per fingerprint instead of re-deriving the pads.
    fingerprint_mac: HmacSha256,
    /// Argon2 runs allowed at once.
    permits: Arc<Semaphore>,
    gate: VerifyGate,
    /// Argon2 runs by operation (`hash`, `verify`), when a meter was given.
    runs: Option<Counter<u64>>,
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
        Self {
            fingerprint_mac,
            permits: Arc::new(Semaphore::new(runs_at_once())),
            gate: VerifyGate::default(),
            runs: None,
        }
    }

    /// Counts argon2 runs as `scimgate.argon2.runs` by `operation`.
    pub fn with_meter(mut self, meter: &Meter) -> Self {
        let runs = meter
            .u64_counter("scimgate.argon2.runs")
            .with_description("Argon2id runs by operation: hash or verify")
            .build();
        self.runs = Some(runs);
        self
    }

    /// Argon2 costs tens of milliseconds of CPU and ~19 MiB: off the async worker threads,
    /// and only with a permit. The permit moves into the blocking task, so a caller that
    /// goes away cannot free it while the run goes on.
    async fn blocking<T: Send + 'static>(
        &self,
        operation: &'static str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> DomainResult<T> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(DomainError::unavailable)?;
        if let Some(runs) = &self.runs {
            runs.add(1, &[KeyValue::new("operation", operation)]);
        }
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(DomainError::unavailable)
    }

    /// Keyed hashes naming the stored hash, and the pair (stored hash, secret), for the gate.
    /// Labels and a length prefix keep the two and their inputs apart.
    fn gate_keys(&self, secret: &str, stored: &str) -> (Credential, Attempt) {
        let mut credential = self.fingerprint_mac.clone();
        credential.update(b"argon2 credential\0");
        credential.update(stored.as_bytes());
        let mut attempt = self.fingerprint_mac.clone();
        attempt.update(b"argon2 attempt\0");
        attempt.update(&(stored.len() as u64).to_be_bytes());
        attempt.update(stored.as_bytes());
        attempt.update(secret.as_bytes());
        (
            credential.finalize().into_bytes().into(),
            attempt.finalize().into_bytes().into(),
        )
    }
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
        let hashed = self
            .blocking("hash", move || {
                Argon2::default().hash_password(secret.as_bytes())
            })
            .await?;
        hashed
            .map(|phc| phc.to_string())
            .map_err(DomainError::unavailable)
    }

    async fn verify(&self, secret: &str, hash: &str) -> DomainResult<bool> {
        let (credential, attempt) = self.gate_keys(secret, hash);
        let secret = secret.to_owned();
        let hash = hash.to_owned();
        let run = self.blocking("verify", move || matches(secret.as_bytes(), &hash));
        self.gate.verify(credential, attempt, run).await
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
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use futures_util::future::join_all;

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

    #[tokio::test]
    async fn argon2_runs_at_once_never_exceed_the_cores_nor_four() {
        let hasher = hasher();
        let cores = runs_at_once();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let work = || {
            let (running, most) = (running.clone(), most.clone());
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(30));
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };

        join_all((0..cores * 4).map(|_| hasher.blocking("hash", work()))).await;

        let most = most.load(Ordering::SeqCst);
        assert!(
            (1..=cores).contains(&most),
            "{most} at once on {cores} cores"
        );
    }

    #[tokio::test]
    async fn a_run_keeps_its_permit_after_its_caller_went_away() {
        let hasher = hasher();
        let cores = hasher.permits.available_permits();
        let slow = hasher.blocking("hash", || std::thread::sleep(Duration::from_millis(300)));

        let gone = tokio::time::timeout(Duration::from_millis(50), slow).await;

        assert!(gone.is_err(), "the run ended before its caller went away");
        assert_eq!(hasher.permits.available_permits(), cores - 1);
    }

    #[tokio::test]
    async fn concurrent_verifications_of_one_secret_agree() {
        let hasher = hasher();
        let hash = hasher.hash("s3cret").await.unwrap();

        let outcomes = join_all((0..8).map(|_| hasher.verify("s3cret", &hash))).await;
        let wrong = join_all((0..8).map(|_| hasher.verify("s3cret!", &hash))).await;

        assert!(outcomes.into_iter().all(|o| o.unwrap()));
        assert!(wrong.into_iter().all(|o| !o.unwrap()));
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
