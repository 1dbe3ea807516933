//! A cache shared by every replica through Redis. Each call is bounded in time: a slow or
//! absent Redis turns into an `Unavailable` error the caller falls back from, never a stall.

use std::future::Future;
use std::io;
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, RedisError};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::{Cache, ReadinessProbe};

/// The longest a single cache call may take before the request goes on without the cache.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_millis(250);
/// Each TCP connection attempt; a refused port fails at once, a black-holed one waits this long.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
/// The whole of `connect`, retries included, so startup cannot hang on a dead Redis.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A Redis call that did not answer within [`CALL_TIMEOUT`].
#[derive(Debug, thiserror::Error)]
#[error("redis did not answer within {0:?}")]
struct TimedOut(Duration);

pub struct RedisCache {
    // Cheap to clone: a handle on one multiplexed connection that reconnects by itself.
    connection: ConnectionManager,
    /// For connections of their own (pub/sub subscriptions).
    client: Client,
    prefix: String,
}

impl RedisCache {
    /// Connects to `url`; every key this cache touches is stored as `"{prefix}:{key}"`.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, RedisError> {
        let client = Client::open(url)?;
        // Few, short retries: the manager reuses them for every later reconnection too, and a
        // request should learn quickly that the cache is gone rather than wait for it.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(ATTEMPT_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connecting = ConnectionManager::new_with_config(client.clone(), config);
        let connection = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
            .await
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("redis did not accept a connection within {CONNECT_TIMEOUT:?}"),
                )
            })??;
        Ok(Self {
            connection,
            client,
            prefix: prefix.to_owned(),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.prefix)
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// A pub/sub channel of this deployment: named under the key prefix, so deployments
    /// sharing a Redis do not hear each other.
    pub(crate) fn channel(&self, name: &str) -> String {
        self.key(name)
    }

    /// The value with its remaining ttl (`None` when it has no expiry), in one round trip.
    pub(crate) async fn get_with_ttl(
        &self,
        key: &str,
    ) -> DomainResult<Option<(Vec<u8>, Option<Duration>)>> {
        let mut connection = self.connection.clone();
        let key = self.key(key);
        let pipeline = redis::pipe()
            .cmd("GET")
            .arg(&key)
            .cmd("PTTL")
            .arg(&key)
            .clone();
        let (value, pttl): (Option<Vec<u8>>, i64) =
            self.bounded(pipeline.query_async(&mut connection)).await?;
        // PTTL is -1 without an expiry, -2 when the key vanished between the two commands.
        Ok(value.map(|bytes| {
            let ttl = u64::try_from(pttl).ok().map(Duration::from_millis);
            (bytes, ttl)
        }))
    }

    /// Deletes `key`, then announces it on `channel`, in one round trip (a pipeline keeps
    /// the order: a subscriber refilling on the announcement cannot read the old value).
    pub(crate) async fn remove_and_publish(&self, key: &str, channel: &str) -> DomainResult<()> {
        let mut connection = self.connection.clone();
        let pipeline = redis::pipe()
            .cmd("DEL")
            .arg(self.key(key))
            .ignore()
            .cmd("PUBLISH")
            .arg(channel)
            .arg(key)
            .ignore()
            .clone();
        self.bounded(pipeline.query_async::<()>(&mut connection))
            .await
    }

    /// Runs one command under [`CALL_TIMEOUT`], mapping both failure kinds to `Unavailable`.
    async fn bounded<T>(
        &self,
        call: impl Future<Output = Result<T, RedisError>>,
    ) -> DomainResult<T> {
        match tokio::time::timeout(CALL_TIMEOUT, call).await {
            Ok(result) => result.map_err(DomainError::unavailable),
            Err(_) => Err(DomainError::unavailable(TimedOut(CALL_TIMEOUT))),
        }
    }
}

/// Redis wants a positive whole number of milliseconds; a zero ttl still expires at once.
fn ttl_millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        let mut connection = self.connection.clone();
        let command = redis::cmd("GET").arg(self.key(key)).clone();
        self.bounded(command.query_async(&mut connection)).await
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> DomainResult<()> {
        let mut connection = self.connection.clone();
        let command = redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("PX")
            .arg(ttl_millis(ttl))
            .clone();
        self.bounded(command.query_async(&mut connection)).await
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        let mut connection = self.connection.clone();
        let command = redis::cmd("DEL").arg(self.key(key)).clone();
        self.bounded(command.query_async(&mut connection)).await
    }
}

#[async_trait]
impl ReadinessProbe for RedisCache {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn check(&self) -> DomainResult<()> {
        let mut connection = self.connection.clone();
        let command = redis::cmd("PING").clone();
        self.bounded(command.query_async::<String>(&mut connection))
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use rand::Rng;
    use rand::distr::Alphanumeric;

    use super::*;

    /// A cache on the Redis named by `TEST_REDIS_URL`, under a prefix no other test uses;
    /// `None` (and a note on stdout) when the variable is unset.
    async fn test_cache(test: &str) -> Option<RedisCache> {
        let Ok(url) = std::env::var("TEST_REDIS_URL") else {
            println!("skipped {test}: TEST_REDIS_URL is not set");
            return None;
        };
        let suffix: String = rand::rng()
            .sample_iter(Alphanumeric)
            .take(12)
            .map(char::from)
            .collect();
        Some(
            RedisCache::connect(&url, &format!("scimgate-test-{suffix}"))
                .await
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn put_then_get_returns_the_value() {
        let Some(cache) = test_cache("put_then_get_returns_the_value").await else {
            return;
        };
        cache
            .put("k", b"v".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(cache.get("k").await.unwrap(), Some(b"v".to_vec()));
        assert_eq!(cache.get("other").await.unwrap(), None);
        cache.remove("k").await.unwrap();
    }

    #[tokio::test]
    async fn entry_expires_after_its_ttl() {
        let Some(cache) = test_cache("entry_expires_after_its_ttl").await else {
            return;
        };
        cache
            .put("k", b"v".to_vec(), Duration::from_millis(50))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(cache.get("k").await.unwrap(), None);
    }

    #[tokio::test]
    async fn remove_drops_the_entry() {
        let Some(cache) = test_cache("remove_drops_the_entry").await else {
            return;
        };
        cache
            .put("k", b"v".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        cache.remove("k").await.unwrap();
        assert_eq!(cache.get("k").await.unwrap(), None);
    }

    #[tokio::test]
    async fn closed_port_fails_within_a_bounded_time() {
        let started = Instant::now();
        let outcome = match RedisCache::connect("redis://127.0.0.1:1", "scimgate-test").await {
            Err(_) => Err(()),
            Ok(cache) => cache.get("k").await.map_err(|_| ()),
        };
        assert!(outcome.is_err());
        assert!(started.elapsed() < CONNECT_TIMEOUT + CALL_TIMEOUT + Duration::from_secs(1));
    }

    #[test]
    fn ttl_is_whole_milliseconds_and_never_zero() {
        assert_eq!(ttl_millis(Duration::ZERO), 1);
        assert_eq!(ttl_millis(Duration::from_micros(1500)), 1);
        assert_eq!(ttl_millis(Duration::from_secs(2)), 2000);
    }
}
