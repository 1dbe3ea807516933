//! When a failed delivery is tried again: exponential backoff with jitter, for up to three
//! days after its first attempt (what Standard Webhooks suggests and hosted services do).

use std::time::Duration;

/// How long after its first attempt a delivery is given up.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(3 * 24 * 3600);

/// The longest wait between two attempts.
const MAX_DELAY: Duration = Duration::from_secs(12 * 3600);

/// The wait after the `attempt`-th failed attempt (1-based): 5 s, then ×4 each time up to
/// 12 h, spread by `jitter` (0.0..1.0) over ±20 % so endpoints that failed together do
/// not all come back at once.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let base = 5.0 * 4f64.powi(attempt.saturating_sub(1).min(10) as i32);
    let capped = base.min(MAX_DELAY.as_secs_f64());
    let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    Duration::from_secs_f64(capped * spread)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        assert_eq!(retry_delay(1, 0.5), Duration::from_secs(5));
        assert_eq!(retry_delay(2, 0.5), Duration::from_secs(20));
        assert!(retry_delay(3, 0.0) < retry_delay(3, 1.0));
        assert!(retry_delay(30, 1.0) <= MAX_DELAY.mul_f64(1.2));
        let total: Duration = (1..=13).map(|n| retry_delay(n, 0.5)).sum();
        assert!(
            total >= GIVE_UP_AFTER,
            "retries span the three days: {total:?}"
        );
    }
}
