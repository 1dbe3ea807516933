//! A limiter every replica shares: GCRA (the generic cell rate algorithm) in one atomic Redis
//! script, one key per budget holding its theoretical arrival time.

use std::time::Duration;

use async_trait::async_trait;
use redis::Script;
use redis::aio::ConnectionManager;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::{Quota, RateDecision, RateLimiter};

/// Returns 0 when admitted, else the milliseconds to wait. Uses the server's clock so
/// replicas with drifting clocks still agree.
const GCRA: &str = r"
local now_parts = redis.call('TIME')
local now = now_parts[1] * 1000 + math.floor(now_parts[2] / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allowed_at = new_tat - interval * burst
if allowed_at > now then
  return allowed_at - now
end
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now + 1000)
return 0
";

/// The longest a limiter call may take before the request goes on without it.
const CALL_TIMEOUT: Duration = Duration::from_millis(200);

pub struct RedisRateLimiter {
    connection: ConnectionManager,
    prefix: String,
    script: Script,
}

impl RedisRateLimiter {
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let connection = ConnectionManager::new(client).await?;
        Ok(Self {
            connection,
            prefix: prefix.to_owned(),
            script: Script::new(GCRA),
        })
    }
}

#[async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn take(&self, key: &str, quota: Quota) -> DomainResult<RateDecision> {
        let interval_ms = 1000 / u64::from(quota.per_second.max(1));
        let mut connection = self.connection.clone();
        let mut invocation = self.script.key(format!("{}:{key}", self.prefix));
        invocation.arg(interval_ms.max(1)).arg(quota.burst.max(1));
        let call = invocation.invoke_async::<i64>(&mut connection);
        let wait_ms = tokio::time::timeout(CALL_TIMEOUT, call)
            .await
            .map_err(|_| DomainError::unavailable(std::io::Error::other("rate limiter timed out")))?
            .map_err(DomainError::unavailable)?;
        Ok(if wait_ms <= 0 {
            RateDecision::Allowed
        } else {
            RateDecision::Limited {
                retry_after: Duration::from_millis(u64::try_from(wait_ms).unwrap_or(0)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn replicas_sharing_redis_share_one_budget() {
        let Ok(url) = std::env::var("TEST_REDIS_URL") else {
            println!("skipped: TEST_REDIS_URL is not set");
            return;
        };
        let prefix = format!("test-rl-{}", uuid::Uuid::now_v7().simple());
        let first = RedisRateLimiter::connect(&url, &prefix).await.unwrap();
        let second = RedisRateLimiter::connect(&url, &prefix).await.unwrap();
        let quota = Quota {
            per_second: 1,
            burst: 2,
        };
        assert_eq!(first.take("k", quota).await.unwrap(), RateDecision::Allowed);
        assert_eq!(
            second.take("k", quota).await.unwrap(),
            RateDecision::Allowed
        );
        assert!(matches!(
            first.take("k", quota).await.unwrap(),
            RateDecision::Limited { .. }
        ));
    }
}
