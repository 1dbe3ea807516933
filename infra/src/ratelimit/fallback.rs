//! The shared limiter when Redis answers, the per-process one when it does not: requests keep
//! a budget through a Redis outage instead of losing limits altogether.

use std::sync::Arc;

use async_trait::async_trait;
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::{Quota, RateDecision, RateLimiter};

pub struct FallbackRateLimiter {
    pub primary: Arc<dyn RateLimiter>,
    pub secondary: Arc<dyn RateLimiter>,
}

#[async_trait]
impl RateLimiter for FallbackRateLimiter {
    async fn take(&self, key: &str, quota: Quota) -> DomainResult<RateDecision> {
        match self.primary.take(key, quota).await {
            Ok(decision) => Ok(decision),
            Err(err) => {
                tracing::warn!(error = %err, "shared rate limiter unavailable; limiting per process");
                self.secondary.take(key, quota).await
            }
        }
    }
}
