//! Per-tenant and per-credential request budgets, so one tenant or one partner's client cannot
//! starve the others. The limiter itself (Redis or in-process) is a port.

use std::sync::Arc;
use std::time::Duration;

use crate::authz::principal::Principal;
use crate::error::{DomainError, DomainResult};
use crate::ports::{Quota, RateDecision, RateLimiter};

/// The budgets in force; `None` means unlimited.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateLimits {
    pub per_tenant: Option<Quota>,
    pub per_credential: Option<Quota>,
}

pub struct RateLimitService {
    limiter: Arc<dyn RateLimiter>,
    limits: RateLimits,
}

impl RateLimitService {
    pub fn new(limiter: Arc<dyn RateLimiter>, limits: RateLimits) -> Self {
        Self { limiter, limits }
    }

    /// Spends one request of the tenant's and the credential's budgets. A limiter that
    /// cannot answer lets the request through: availability beats precision here.
    pub async fn admit(&self, principal: &Principal) -> DomainResult<()> {
        // Keys are hash-tagged by tenant so a Redis Cluster keeps a tenant's keys together.
        let tenant = principal.tenant_id.0;
        let budgets = [
            (self.limits.per_tenant, format!("ratelimit:{{{tenant}}}")),
            (
                self.limits.per_credential,
                format!("ratelimit:{{{tenant}}}:{}", principal.subject),
            ),
        ];
        for (quota, key) in budgets {
            let Some(quota) = quota else { continue };
            match self.limiter.take(&key, quota).await {
                Ok(RateDecision::Allowed) => {}
                Ok(RateDecision::Limited { retry_after }) => {
                    return Err(DomainError::RateLimited {
                        retry_after: retry_after.max(Duration::from_secs(1)),
                    });
                }
                Err(err) => {
                    tracing::warn!(error = %err, "rate limiter unavailable; request admitted");
                }
            }
        }
        Ok(())
    }
}
