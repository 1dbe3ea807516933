//! What an argon2id verification may cost. Each run takes ~19 MiB and tens of milliseconds
//! of a core, so a cold replica that meets 32 concurrent requests with one not yet cached
//! token must not run 32 of them, and a client sending wrong secrets must not buy one per
//! request:
//!
//! - **single flight**: concurrent verifications of the same secret against the same stored
//!   hash share one run (moka's `try_get_with` coalesces them);
//! - **outcomes remembered**: whether a secret matches a stored hash never changes (secrets
//!   are immutable, and a new secret is a new hash), so the answer is kept in process, under a
//!   keyed hash of the pair: a wrong secret sent again is refused, and a right one re-verified
//!   after its token cache entry expired is accepted, without argon2. Revocation and expiry
//!   are decided by the stored row, which callers read every time;
//! - **one credential, one run at a time, failures paced**: runs against one stored hash wait
//!   for each other (of two different secrets at most one is right), and once a credential
//!   has spent its burst of failures, each further unfamiliar secret waits for the budget to
//!   refill (one failure per `refill`). Nothing is refused for being over budget, so a
//!   flood of wrong secrets never turns the right one away; it only waits its turn.
//!
//! How many runs happen at once across credentials is the argon2 semaphore's business
//! (`argon.rs`), not this gate's.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache as MokaCache;
use scimgate_domain::error::{DomainError, DomainResult};
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Keyed hash of a (stored hash, presented secret) pair: names one verification.
pub type Attempt = [u8; 32];
/// Keyed hash of a stored hash: names one credential.
pub type Credential = [u8; 32];

/// Remembered outcomes and pacing states; beyond that moka evicts the least used.
const CAPACITY: u64 = 10_000;
/// An outcome nobody asked for this long is forgotten (memory only: it would stay true).
const OUTCOME_IDLE: Duration = Duration::from_secs(3600);
/// A credential nobody tried for this long starts again with a full budget, which it would
/// have regained by then anyway.
const LANE_IDLE: Duration = Duration::from_secs(600);

/// How failed verifications of one credential are paced.
#[derive(Debug, Clone, Copy)]
pub struct FailurePace {
    /// Failures in a row that run at once.
    pub burst: u32,
    /// After those, one more failure per this interval.
    pub refill: Duration,
}

impl Default for FailurePace {
    /// Ten failures at once (a misconfigured client retrying), then one per second: an
    /// attacked credential costs at most a few percent of one core.
    fn default() -> Self {
        Self {
            burst: 10,
            refill: Duration::from_secs(1),
        }
    }
}

/// A generic cell rate (GCRA) over failures only: `due` is when the budget would be full
/// again; a run may start once `due` is less than `burst - 1` refills away.
struct FailureBudget {
    due: Instant,
    pace: FailurePace,
}

impl FailureBudget {
    fn full(pace: FailurePace) -> Self {
        Self {
            due: Instant::now(),
            pace,
        }
    }

    /// How long the next run must wait.
    fn wait(&self, now: Instant) -> Duration {
        let tolerance = self.pace.refill * self.pace.burst.saturating_sub(1);
        self.due
            .saturating_duration_since(now)
            .saturating_sub(tolerance)
    }

    /// Records a failed run that ended at `now`.
    fn spend(&mut self, now: Instant) {
        self.due = self.due.max(now) + self.pace.refill;
    }
}

pub struct VerifyGate {
    outcomes: MokaCache<Attempt, bool>,
    lanes: MokaCache<Credential, Arc<Mutex<FailureBudget>>>,
    pace: FailurePace,
}

impl Default for VerifyGate {
    fn default() -> Self {
        Self::new(FailurePace::default())
    }
}

impl VerifyGate {
    pub fn new(pace: FailurePace) -> Self {
        Self {
            outcomes: MokaCache::builder()
                .max_capacity(CAPACITY)
                .time_to_idle(OUTCOME_IDLE)
                .build(),
            lanes: MokaCache::builder()
                .max_capacity(CAPACITY)
                .time_to_idle(LANE_IDLE)
                .build(),
            pace,
        }
    }

    /// The outcome of `attempt` against `credential`: remembered, shared with a concurrent
    /// identical attempt, or computed by `run` (polled only when none of those applies).
    pub async fn verify(
        &self,
        credential: Credential,
        attempt: Attempt,
        run: impl Future<Output = DomainResult<bool>>,
    ) -> DomainResult<bool> {
        self.outcomes
            .try_get_with(attempt, self.in_lane(credential, run))
            .await
            .map_err(DomainError::unavailable)
    }

    /// Runs `run` when the credential's earlier runs are done and its failure budget allows.
    async fn in_lane(
        &self,
        credential: Credential,
        run: impl Future<Output = DomainResult<bool>>,
    ) -> DomainResult<bool> {
        let pace = self.pace;
        let lane = self
            .lanes
            .get_with(credential, async move {
                Arc::new(Mutex::new(FailureBudget::full(pace)))
            })
            .await;
        // Held across the run: one run per credential at a time, in arrival order (tokio's
        // mutex is fair).
        let mut budget = lane.lock().await;
        let wait = budget.wait(Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let matched = run.await?;
        if !matched {
            budget.spend(Instant::now());
        }
        Ok(matched)
    }
}

#[cfg(test)]
mod tests;
