#![allow(clippy::disallowed_methods)] // tests compare against the wall clock
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use super::*;
use crate::oauth::claims::{AccessTokenClaims, Expected};
use crate::oauth::signing_key::{KeyMaterial, PrivateKeyDer};

/// The table as a list; counts reads so tests can see reloads.
#[derive(Default)]
struct MemoryKeys {
    keys: Mutex<Vec<SigningKey>>,
    reads: AtomicUsize,
}

#[async_trait]
impl SigningKeyStore for MemoryKeys {
    async fn insert_if_none_active(&self, key: &SigningKey) -> DomainResult<bool> {
        let mut keys = self.keys.lock().unwrap();
        if keys.iter().any(|k| k.active) {
            return Ok(false);
        }
        keys.push(key.clone());
        Ok(true)
    }

    async fn rotate(&self, key: &SigningKey, retire_until: DateTime<Utc>) -> DomainResult<()> {
        let mut keys = self.keys.lock().unwrap();
        for old in keys.iter_mut().filter(|k| k.active) {
            old.active = false;
            old.not_after = Some(retire_until);
        }
        keys.push(key.clone());
        Ok(())
    }

    async fn verifiable(&self, now: DateTime<Utc>) -> DomainResult<Vec<SigningKey>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        let keys = self.keys.lock().unwrap();
        Ok(keys
            .iter()
            .filter(|k| k.is_verifiable_at(now))
            .cloned()
            .collect())
    }
}

/// Hands out keys `k1`, `k2`, ...; signs and verifies nothing.
#[derive(Default)]
struct CountingCodec(AtomicUsize);

impl JwtCodec for CountingCodec {
    fn generate_key(&self) -> DomainResult<KeyMaterial> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        let kid = format!("k{n}");
        let mut public_jwk = Map::new();
        public_jwk.insert("kid".into(), Value::String(kid.clone()));
        Ok(KeyMaterial {
            kid,
            private_key: PrivateKeyDer::new(vec![n as u8]),
            public_jwk,
        })
    }

    fn sign(&self, _: &AccessTokenClaims, _: &SigningKey) -> DomainResult<String> {
        // The key ring never signs; a call would be a bug in the ring.
        Err(DomainError::InvalidValue(
            "the fake codec does not sign".into(),
        ))
    }

    fn sign_set(&self, _: &Map<String, Value>, _: &SigningKey) -> DomainResult<String> {
        Err(DomainError::InvalidValue(
            "the fake codec does not sign".into(),
        ))
    }

    fn key_id(&self, _: &str) -> Option<String> {
        None
    }

    fn verify(&self, _: &str, _: &SigningKey, _: &Expected<'_>) -> DomainResult<AccessTokenClaims> {
        Err(DomainError::Unauthenticated(
            "the fake codec does not verify".into(),
        ))
    }
}

/// A clock the test moves by hand.
struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    fn advance(&self, by: TimeDelta) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

struct Fixture {
    store: Arc<MemoryKeys>,
    clock: Arc<ManualClock>,
    ring: KeyRing,
}

fn fixture() -> Fixture {
    let store = Arc::new(MemoryKeys::default());
    let clock = Arc::new(ManualClock(Mutex::new(Utc::now())));
    let ring = KeyRing::new(
        store.clone(),
        Arc::new(CountingCodec::default()),
        clock.clone(),
        Duration::from_secs(600),
    );
    Fixture { store, clock, ring }
}

/// A second replica's ring on the same table, with its own codec so its kids differ.
fn other_replica(f: &Fixture) -> KeyRing {
    let codec = CountingCodec(AtomicUsize::new(100));
    KeyRing::new(
        f.store.clone(),
        Arc::new(codec),
        f.clock.clone(),
        Duration::from_secs(600),
    )
}

/// What another replica's rotation leaves in the table, without touching this ring.
async fn rotate_in_store(f: &Fixture) -> SigningKey {
    let material = CountingCodec(AtomicUsize::new(200)).generate_key().unwrap();
    let key = SigningKey::activate(material, f.clock.now());
    let until = f.clock.now() + TimeDelta::hours(1);
    f.store.rotate(&key, until).await.unwrap();
    key
}

#[tokio::test]
async fn the_first_start_creates_one_key_and_later_starts_reuse_it() {
    let f = fixture();

    let first = f.ring.ensure_active_key().await.unwrap();
    let again = other_replica(&f).ensure_active_key().await.unwrap();

    assert_eq!(first.kid, "k1");
    assert_eq!(again.kid, "k1");
    assert_eq!(f.store.keys.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn rotation_keeps_the_old_key_verifiable_for_a_token_lifetime_and_margin() {
    let f = fixture();
    f.ring.ensure_active_key().await.unwrap();

    let new = f.ring.rotate().await.unwrap();

    assert_eq!(f.ring.signing_key().await.unwrap().kid, new.kid);
    assert!(f.ring.verification_key("k1").await.unwrap().is_some());
    f.clock
        .advance(TimeDelta::seconds(600) + RETIRE_MARGIN + TimeDelta::seconds(1));
    assert!(f.ring.verification_key("k1").await.unwrap().is_none());
    assert_eq!(f.ring.published().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_key_rotated_elsewhere_is_found_on_a_miss_but_misses_reload_at_most_every_few_seconds() {
    let f = fixture();
    f.ring.ensure_active_key().await.unwrap();
    let reads_before = f.store.reads.load(Ordering::SeqCst);

    assert!(f.ring.verification_key("made-up").await.unwrap().is_none());
    let rotated = rotate_in_store(&f).await;
    let throttled = f.ring.verification_key(&rotated.kid).await.unwrap();
    f.clock.advance(MISS_RELOAD_INTERVAL);
    let found = f.ring.verification_key(&rotated.kid).await.unwrap();

    assert!(
        throttled.is_none(),
        "a second miss within the interval does not reload"
    );
    assert_eq!(found.map(|k| k.kid), Some(rotated.kid));
    assert_eq!(f.store.reads.load(Ordering::SeqCst) - reads_before, 2);
}

#[tokio::test]
async fn signing_picks_up_a_rotation_done_elsewhere_after_the_reload_interval() {
    let f = fixture();
    f.ring.ensure_active_key().await.unwrap();
    let rotated = other_replica(&f).rotate().await.unwrap();

    let before = f.ring.signing_key().await.unwrap();
    f.clock.advance(RELOAD_EVERY);
    let after = f.ring.signing_key().await.unwrap();

    assert_eq!(
        before.kid, "k1",
        "still the cached key, which stays verifiable"
    );
    assert_eq!(after.kid, rotated.kid);
}
