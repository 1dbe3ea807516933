//! JWK Sets of trusted authorization servers, fetched over HTTP and kept in process. A set is
//! fetched again only when a token names a `kid` it lacks or when it is older than
//! `max_age`, and never twice within `min_refresh`: a flood of tokens with made-up `kid`s
//! costs the issuer at most one fetch per interval. One fetch per URL at a time; requests
//! whose key is known never wait for it.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use oauth2::reqwest::header::ACCEPT;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::trusted_issuer::Reach;

use super::outbound::Outbound;
use serde::Deserialize;
use serde_json::Value;

/// Largest JWK Set accepted; real ones are a few kilobytes.
const MAX_JWKS_BYTES: usize = 512 * 1024;
/// Distinct JWKS URLs kept; an idle one is dropped after a day.
const MAX_URLS: u64 = 10_000;
const IDLE: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, Copy)]
pub struct JwksSettings {
    /// Least time between two fetches of one URL.
    pub min_refresh: Duration,
    /// A set older than this is fetched again at its next use.
    pub max_age: Duration,
}

struct KeySet {
    keys: Vec<Jwk>,
    fetched_at: Instant,
}

impl KeySet {
    /// The key `kid` names; without a `kid`, the set's only key.
    fn find(&self, kid: Option<&str>) -> Option<Jwk> {
        match kid {
            Some(kid) => self
                .keys
                .iter()
                .find(|jwk| jwk.common.key_id.as_deref() == Some(kid))
                .cloned(),
            None if self.keys.len() == 1 => self.keys.first().cloned(),
            None => None,
        }
    }
}

#[derive(Default)]
struct Entry {
    current: RwLock<Option<Arc<KeySet>>>,
    /// When the last fetch started, successful or not; held while fetching.
    last_attempt: tokio::sync::Mutex<Option<Instant>>,
}

impl Entry {
    fn current(&self) -> Option<Arc<KeySet>> {
        // A poisoned lock still holds a whole `Option<Arc<_>>`: nothing half-written.
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, set: KeySet) {
        let set = Some(Arc::new(set));
        match self.current.write() {
            Ok(mut guard) => *guard = set,
            Err(poisoned) => *poisoned.into_inner() = set,
        }
    }
}

pub struct JwksCache {
    http: Arc<Outbound>,
    /// By URL and reach: a set fetched for the operator's entry is not one a tenant's entry
    /// of the same URL could have fetched.
    entries: moka::future::Cache<(Reach, String), Arc<Entry>>,
    settings: JwksSettings,
}

#[derive(Deserialize)]
struct RawSet {
    keys: Vec<Value>,
}

impl JwksCache {
    pub fn new(http: Arc<Outbound>, settings: JwksSettings) -> Self {
        Self {
            http,
            entries: moka::future::Cache::builder()
                .max_capacity(MAX_URLS)
                .time_to_idle(IDLE)
                .build(),
            settings,
        }
    }

    /// The verification key `kid` names at `url`, `None` when the issuer does not publish it
    /// (or not yet, and the set may not be fetched again so soon). `Unavailable` only when
    /// no set of `url` could ever be fetched.
    pub async fn key(
        &self,
        url: &str,
        reach: Reach,
        kid: Option<&str>,
    ) -> DomainResult<Option<Jwk>> {
        let entry = self
            .entries
            .get_with((reach, url.to_owned()), async {
                Arc::new(Entry::default())
            })
            .await;
        let fresh = |entry: &Entry| {
            entry
                .current()
                .filter(|set| set.fetched_at.elapsed() < self.settings.max_age)
                .and_then(|set| set.find(kid))
        };
        if let Some(jwk) = fresh(&entry) {
            return Ok(Some(jwk));
        }
        let mut last_attempt = entry.last_attempt.lock().await;
        // Another request may have fetched while this one waited.
        if let Some(jwk) = fresh(&entry) {
            return Ok(Some(jwk));
        }
        let may_fetch = last_attempt.is_none_or(|at| at.elapsed() >= self.settings.min_refresh);
        if !may_fetch {
            return Ok(entry.current().and_then(|set| set.find(kid)));
        }
        *last_attempt = Some(Instant::now());
        match self.fetch(url, reach).await {
            Ok(set) => {
                let found = set.find(kid);
                entry.replace(set);
                Ok(found)
            }
            Err(err) => {
                tracing::warn!(error = %err, jwks_url = url, "cannot fetch a trusted issuer's JWK Set");
                match entry.current() {
                    // Keep verifying with what the issuer published before.
                    Some(set) => Ok(set.find(kid)),
                    None => Err(err),
                }
            }
        }
    }

    #[tracing::instrument(name = "jwks.fetch", skip(self), err)]
    async fn fetch(&self, url: &str, reach: Reach) -> DomainResult<KeySet> {
        let failed = |what: String| DomainError::unavailable(std::io::Error::other(what));
        let mut response = self
            .http
            .client(url, reach)?
            .get(url)
            .header(ACCEPT, "application/json, application/jwk-set+json")
            .send()
            .await
            .map_err(DomainError::unavailable)?;
        if !response.status().is_success() {
            return Err(failed(format!("JWKS answered {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(DomainError::unavailable)? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(failed(format!("JWKS larger than {MAX_JWKS_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        let raw: RawSet = serde_json::from_slice(&body)
            .map_err(|err| failed(format!("JWKS is not a JWK Set: {err}")))?;
        // Keys this library cannot use (unknown types, encryption keys) are skipped, not fatal:
        // issuers publish such keys next to their signing keys.
        let keys = raw
            .keys
            .into_iter()
            .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
            .filter(|jwk| !matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)))
            .collect();
        Ok(KeySet {
            keys,
            fetched_at: Instant::now(),
        })
    }
}
