//! What the two-level cache does when Redis fails: count it, say so in the log at most every
//! few seconds (an outage would otherwise write a line per request), and stop asking Redis for
//! a moment so requests do not each wait out a timeout. Requests meanwhile use the
//! in-process level and the database.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Meter};
use scimgate_domain::error::DomainError;

/// How long after a failure calls skip Redis (removals are then queued for replay).
const BACKOFF: Duration = Duration::from_secs(1);
/// At most one warning per this period while Redis keeps failing.
const WARN_EVERY: Duration = Duration::from_secs(10);

pub(crate) struct Degraded {
    counter: Counter<u64>,
    started: Instant,
    /// Milliseconds since `started` before which Redis is skipped.
    skip_until_ms: AtomicU64,
    /// Whether the last call failed, to log the recovery once.
    failing: AtomicBool,
    last_warning: Mutex<Option<Instant>>,
}

impl Degraded {
    pub(crate) fn new(meter: &Meter) -> Self {
        let counter = meter
            .u64_counter("scimgate.cache.degraded")
            .with_description(
                "Cache calls that went without Redis (failed, timed out, or skipped while it was failing), by operation",
            )
            .build();
        Self {
            counter,
            started: Instant::now(),
            skip_until_ms: AtomicU64::new(0),
            failing: AtomicBool::new(false),
            last_warning: Mutex::new(None),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether Redis failed so recently that `operation` should not ask it; counted if so.
    pub(crate) fn skipping(&self, operation: &'static str) -> bool {
        let skip = self.now_ms() < self.skip_until_ms.load(Ordering::Relaxed);
        if skip {
            self.count(operation);
        }
        skip
    }

    /// Redis failed `operation`.
    pub(crate) fn failed(&self, operation: &'static str, error: &DomainError) {
        self.count(operation);
        let until = self.now_ms().saturating_add(BACKOFF.as_millis() as u64);
        self.skip_until_ms.store(until, Ordering::Relaxed);
        self.failing.store(true, Ordering::Relaxed);
        let due = match self.last_warning.lock() {
            Ok(mut last) => {
                let due = last.is_none_or(|at| at.elapsed() >= WARN_EVERY);
                if due {
                    *last = Some(Instant::now());
                }
                due
            }
            Err(_) => true,
        };
        if due {
            tracing::warn!(
                operation,
                error = %error,
                "redis cache unavailable; serving from the in-process cache and the database"
            );
        }
    }

    /// Redis answered: log once that it is back.
    pub(crate) fn answered(&self) {
        if self.failing.load(Ordering::Relaxed) && self.failing.swap(false, Ordering::Relaxed) {
            tracing::info!("redis cache reachable again");
        }
    }

    fn count(&self, operation: &'static str) {
        self.counter
            .add(1, &[KeyValue::new("cache.operation", operation)]);
    }
}
