//! The signing keys as this process sees them: loaded from the store, kept in memory, and
//! reloaded every `RELOAD_EVERY` (so a rotation done by another process or replica is picked
//! up for signing) or when a token names a key id not seen yet (at most once per
//! `MISS_RELOAD_INTERVAL`, so made-up key ids cannot turn every request into a query).

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::oauth::signing_key::SigningKey;
use crate::ports::{Clock, JwtCodec, SigningKeyStore};

/// How stale the in-memory keys may get before a use reloads them.
const RELOAD_EVERY: TimeDelta = TimeDelta::seconds(60);
/// Least time between two reloads caused by unknown key ids.
const MISS_RELOAD_INTERVAL: TimeDelta = TimeDelta::seconds(5);
/// How long past the last token it may have signed a retired key stays verifiable: covers
/// replicas that sign with it until their next reload, plus clock skew.
const RETIRE_MARGIN: TimeDelta = TimeDelta::minutes(5);

struct Loaded {
    keys: Arc<Vec<SigningKey>>,
    at: DateTime<Utc>,
}

pub struct KeyRing {
    store: Arc<dyn SigningKeyStore>,
    codec: Arc<dyn JwtCodec>,
    clock: Arc<dyn Clock>,
    token_ttl: Duration,
    loaded: RwLock<Option<Loaded>>,
    last_miss_reload: Mutex<Option<DateTime<Utc>>>,
}

impl KeyRing {
    pub fn new(
        store: Arc<dyn SigningKeyStore>,
        codec: Arc<dyn JwtCodec>,
        clock: Arc<dyn Clock>,
        token_ttl: Duration,
    ) -> Self {
        Self {
            store,
            codec,
            clock,
            token_ttl,
            loaded: RwLock::new(None),
            last_miss_reload: Mutex::new(None),
        }
    }

    /// Makes sure a key is active, generating one if none is. Replicas starting together
    /// may all generate one; the store keeps exactly one active and the others use it.
    #[tracing::instrument(skip(self), err)]
    pub async fn ensure_active_key(&self) -> DomainResult<SigningKey> {
        let keys = self.reload().await?;
        if let Some(active) = keys.iter().find(|k| k.active) {
            return Ok(active.clone());
        }
        let key = SigningKey::activate(self.codec.generate_key()?, self.clock.now());
        if self.store.insert_if_none_active(&key).await? {
            tracing::info!(kid = %key.kid, "generated the first token signing key");
        }
        self.reload()
            .await?
            .iter()
            .find(|k| k.active)
            .cloned()
            .ok_or_else(|| unavailable("no active signing key after creating one"))
    }

    /// Replaces the active key with a new one. The old keys stay verifiable for a token
    /// lifetime plus a margin, so tokens they signed keep working until they expire.
    #[tracing::instrument(skip(self), err)]
    pub async fn rotate(&self) -> DomainResult<SigningKey> {
        let now = self.clock.now();
        let key = SigningKey::activate(self.codec.generate_key()?, now);
        let ttl = TimeDelta::from_std(self.token_ttl).unwrap_or(TimeDelta::MAX);
        let retire_until = now
            .checked_add_signed(ttl)
            .and_then(|at| at.checked_add_signed(RETIRE_MARGIN))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.store.rotate(&key, retire_until).await?;
        self.reload().await?;
        tracing::info!(kid = %key.kid, %retire_until, "rotated the token signing key");
        Ok(key)
    }

    /// The key to sign with now.
    pub async fn signing_key(&self) -> DomainResult<SigningKey> {
        match self.current().await?.iter().find(|k| k.active) {
            Some(key) => Ok(key.clone()),
            // Only when the table was emptied behind our back: start over.
            None => self.ensure_active_key().await,
        }
    }

    /// The key named `kid`, if it may still verify tokens.
    pub async fn verification_key(&self, kid: &str) -> DomainResult<Option<SigningKey>> {
        let now = self.clock.now();
        let find = |keys: &[SigningKey]| {
            keys.iter()
                .find(|k| k.kid == kid && k.is_verifiable_at(now))
                .cloned()
        };
        if let Some(key) = find(&self.current().await?) {
            return Ok(Some(key));
        }
        if !self.may_reload_for_miss(now) {
            return Ok(None);
        }
        Ok(find(&self.reload().await?))
    }

    /// The public keys of every key that still verifies, for the JWKS document.
    pub async fn published(&self) -> DomainResult<Vec<Map<String, Value>>> {
        let now = self.clock.now();
        Ok(self
            .current()
            .await?
            .iter()
            .filter(|k| k.is_verifiable_at(now))
            .map(|k| k.public_jwk.clone())
            .collect())
    }

    /// The keys in memory, reloaded first when they are older than `RELOAD_EVERY`.
    async fn current(&self) -> DomainResult<Arc<Vec<SigningKey>>> {
        let now = self.clock.now();
        let fresh = {
            let loaded = self.loaded.read().unwrap_or_else(PoisonError::into_inner);
            loaded
                .as_ref()
                .filter(|l| now - l.at < RELOAD_EVERY)
                .map(|l| l.keys.clone())
        };
        match fresh {
            Some(keys) => Ok(keys),
            None => self.reload().await,
        }
    }

    async fn reload(&self) -> DomainResult<Arc<Vec<SigningKey>>> {
        let now = self.clock.now();
        let keys = Arc::new(self.store.verifiable(now).await?);
        let mut loaded = self.loaded.write().unwrap_or_else(PoisonError::into_inner);
        *loaded = Some(Loaded {
            keys: keys.clone(),
            at: now,
        });
        Ok(keys)
    }

    /// Claims the right to reload for an unknown key id, unless one did so very recently.
    fn may_reload_for_miss(&self, now: DateTime<Utc>) -> bool {
        let mut last = self
            .last_miss_reload
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if last.is_some_and(|at| now - at < MISS_RELOAD_INTERVAL) {
            return false;
        }
        *last = Some(now);
        true
    }
}

fn unavailable(message: &str) -> DomainError {
    DomainError::unavailable(std::io::Error::other(message.to_owned()))
}

#[cfg(test)]
mod tests;
