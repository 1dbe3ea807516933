//! A per-process limiter: exact for one replica, and the fallback when Redis is unreachable.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota as GovernorQuota, RateLimiter as Governor};
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::{Quota, RateDecision, RateLimiter};

/// One keyed governor per quota: the quotas are few (per tenant, per credential).
#[derive(Default)]
pub struct MemoryRateLimiter {
    limiters: Mutex<HashMap<Quota, Arc<DefaultKeyedRateLimiter<String>>>>,
}

impl MemoryRateLimiter {
    fn limiter(&self, quota: Quota) -> Arc<DefaultKeyedRateLimiter<String>> {
        let mut limiters = self
            .limiters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        limiters
            .entry(quota)
            .or_insert_with(|| {
                let rate = NonZeroU32::new(quota.per_second).unwrap_or(NonZeroU32::MIN);
                let burst = NonZeroU32::new(quota.burst).unwrap_or(rate);
                Arc::new(Governor::keyed(
                    GovernorQuota::per_second(rate).allow_burst(burst),
                ))
            })
            .clone()
    }
}

#[async_trait]
impl RateLimiter for MemoryRateLimiter {
    async fn take(&self, key: &str, quota: Quota) -> DomainResult<RateDecision> {
        let limiter = self.limiter(quota);
        Ok(match limiter.check_key(&key.to_owned()) {
            Ok(()) => RateDecision::Allowed,
            Err(not_until) => RateDecision::Limited {
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_burst_passes_then_the_next_request_waits() {
        let limiter = MemoryRateLimiter::default();
        let quota = Quota {
            per_second: 1,
            burst: 3,
        };
        for _ in 0..3 {
            assert_eq!(
                limiter.take("k", quota).await.unwrap(),
                RateDecision::Allowed
            );
        }
        let RateDecision::Limited { retry_after } = limiter.take("k", quota).await.unwrap() else {
            panic!("fourth request admitted");
        };
        assert!(retry_after <= Duration::from_secs(1));
        assert_eq!(
            limiter.take("other", quota).await.unwrap(),
            RateDecision::Allowed
        );
    }
}
