//! Connection health summed up from a tenant's recent requests: how many, how they ended by
//! status class, the error rate and the latency percentiles, and when the IdP last called.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::RequestRecord;

/// Requests by the first digit of their status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusClasses {
    pub success: u64,
    pub redirect: u64,
    pub client_error: u64,
    pub server_error: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestHealth {
    /// The newest request's time, whether or not it falls in the window.
    pub last_call: Option<DateTime<Utc>>,
    /// Requests in the window.
    pub total: u64,
    pub classes: StatusClasses,
    /// Share of the window's requests answered 4xx or 5xx, 0.0 to 1.0.
    pub error_rate: f64,
    pub p50: Option<Duration>,
    pub p95: Option<Duration>,
}

impl RequestHealth {
    /// Sums up the `records` made at or after `since` (any order).
    pub fn of(records: &[RequestRecord], since: DateTime<Utc>) -> Self {
        let last_call = records.iter().map(|r| r.at).max();
        let window: Vec<&RequestRecord> = records.iter().filter(|r| r.at >= since).collect();
        let mut classes = StatusClasses::default();
        for record in &window {
            match record.status / 100 {
                2 => classes.success += 1,
                3 => classes.redirect += 1,
                4 => classes.client_error += 1,
                _ => classes.server_error += 1,
            }
        }
        let total = window.len() as u64;
        let errors = classes.client_error + classes.server_error;
        let mut latencies: Vec<Duration> = window.iter().map(|r| r.latency).collect();
        latencies.sort_unstable();
        Self {
            last_call,
            total,
            classes,
            error_rate: if total == 0 {
                0.0
            } else {
                errors as f64 / total as f64
            },
            p50: nearest_rank(&latencies, 50),
            p95: nearest_rank(&latencies, 95),
        }
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at least
/// `percent`% of the values at or below it.
fn nearest_rank(sorted: &[Duration], percent: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::TenantId;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn record(minute: u32, status: u16, millis: u64) -> RequestRecord {
        RequestRecord {
            tenant_id: TenantId(Uuid::nil()),
            id: Uuid::now_v7(),
            at: Utc.with_ymd_and_hms(2026, 12, 7, 12, minute, 0).unwrap(),
            method: "GET".into(),
            route: "/scim/v2/Users".into(),
            operation: "list".into(),
            status,
            scim_type: None,
            latency: Duration::from_millis(millis),
            caller: "tok".into(),
        }
    }

    #[test]
    fn an_empty_log_has_no_last_call_and_no_percentiles() {
        let since = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let health = RequestHealth::of(&[], since);
        assert_eq!(health, RequestHealth::default());
    }

    #[test]
    fn counts_classes_and_percentiles_inside_the_window_only() {
        // Twenty requests in the window, 1..=20 ms; one old slow failure before it.
        let mut records: Vec<RequestRecord> = (1..=20)
            .map(|n| {
                record(
                    30,
                    if n <= 15 {
                        200
                    } else if n <= 19 {
                        404
                    } else {
                        503
                    },
                    n,
                )
            })
            .collect();
        records.push(record(1, 500, 9_000));
        let since = Utc.with_ymd_and_hms(2026, 12, 7, 12, 10, 0).unwrap();

        let health = RequestHealth::of(&records, since);

        assert_eq!(health.total, 20);
        assert_eq!(
            health.classes,
            StatusClasses {
                success: 15,
                redirect: 0,
                client_error: 4,
                server_error: 1
            }
        );
        assert!((health.error_rate - 0.25).abs() < 1e-9);
        assert_eq!(health.p50, Some(Duration::from_millis(10)));
        assert_eq!(health.p95, Some(Duration::from_millis(19)));
        assert_eq!(health.last_call, Some(records[0].at));
    }

    #[test]
    fn the_last_call_counts_even_outside_the_window() {
        let records = [record(1, 201, 3)];
        let since = Utc.with_ymd_and_hms(2026, 12, 7, 13, 0, 0).unwrap();
        let health = RequestHealth::of(&records, since);
        assert_eq!(health.total, 0);
        assert_eq!(health.last_call, Some(records[0].at));
        assert_eq!(health.p95, None);
    }
}
