//! When a failed delivery is tried again: a growing schedule with jitter, for up to three
//! days after its first attempt (what Standard Webhooks suggests and hosted services do).
//! The first retries come quickly: most failures are a receiver restarting.

use std::time::Duration;

/// How long after its first attempt a delivery is given up.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(3 * 24 * 3600);

/// Seconds to wait after the n-th failed attempt; the last repeats.
const SCHEDULE: [u64; 11] = [1, 5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200];

/// The wait after the `attempt`-th failed attempt (1-based), spread by `jitter` (0.0..1.0)
/// over ±20 % so endpoints that failed together do not all come back at once.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let index = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
    let base = SCHEDULE[index.min(SCHEDULE.len() - 1)] as f64;
    let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    Duration::from_secs_f64(base * spread)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        assert_eq!(retry_delay(1, 0.5), Duration::from_secs(1));
        assert_eq!(retry_delay(2, 0.5), Duration::from_secs(5));
        assert!(retry_delay(3, 0.0) < retry_delay(3, 1.0));
        assert!(retry_delay(40, 1.0) <= Duration::from_secs(43_200).mul_f64(1.2));
        let total: Duration = (1..=15).map(|n| retry_delay(n, 0.5)).sum();
        assert!(
            total >= GIVE_UP_AFTER,
            "retries span the three days: {total:?}"
        );
    }
}
