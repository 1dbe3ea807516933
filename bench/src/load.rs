//! A closed-loop load generator: `connections` workers, each sending the next request as soon
//! as the previous answer is read, for a fixed time. Every latency is kept, so percentiles are
//! exact.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, Method, StatusCode};
use serde::Serialize;

/// Makes the body of the `n`-th request of a write scenario (`n` counts across all workers).
pub type BodyFn = Arc<dyn Fn(u64) -> String + Send + Sync>;
/// Makes the resource id (for `{id}` in the URL) and body of the `n`-th request.
pub type AddressedFn = Arc<dyn Fn(u64) -> (String, String) + Send + Sync>;

/// The body a request carries: none, or a new one per request.
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    None,
    /// Built from a counter shared by all workers, e.g. to create distinct users.
    Counted { next: Arc<AtomicU64>, make: BodyFn },
    /// Like `Counted`, and each request names its own resource: `{id}` in the URL.
    Addressed {
        next: Arc<AtomicU64>,
        make: AddressedFn,
    },
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Counted { next, .. } | Body::Addressed { next, .. } => f
                .debug_struct("Counted")
                .field("next", &next.load(Ordering::Relaxed))
                .finish_non_exhaustive(),
        }
    }
}

impl Body {
    /// A body built from a fresh counter starting at 0.
    pub fn counted(make: impl Fn(u64) -> String + Send + Sync + 'static) -> Self {
        Body::Counted {
            next: Arc::new(AtomicU64::new(0)),
            make: Arc::new(make),
        }
    }

    /// A body built from a fresh counter starting at 0, with the id its URL names.
    pub fn addressed(make: impl Fn(u64) -> (String, String) + Send + Sync + 'static) -> Self {
        Body::Addressed {
            next: Arc::new(AtomicU64::new(0)),
            make: Arc::new(make),
        }
    }

    /// The next request's URL (from `url`) and body.
    fn next(&self, url: &str) -> (String, Option<String>) {
        match self {
            Body::None => (url.to_owned(), None),
            Body::Counted { next, make } => (
                url.to_owned(),
                Some(make(next.fetch_add(1, Ordering::Relaxed))),
            ),
            Body::Addressed { next, make } => {
                let (id, body) = make(next.fetch_add(1, Ordering::Relaxed));
                (url.replace("{id}", &id), Some(body))
            }
        }
    }
}

/// One request, prepared once and sent many times.
#[derive(Debug, Clone)]
pub struct Target {
    pub method: Method,
    pub url: String,
    pub token: Option<String>,
    /// Sent as `application/scim+json` when present.
    pub body: Body,
    /// The status that counts as success; any 2xx when `None`.
    pub expect: Option<StatusCode>,
    /// Driven by one connection whatever the plan says (e.g. one big /Bulk at a time).
    pub one_connection: bool,
    /// Resources one request creates (a /Bulk): the report adds resources per second.
    pub creates_per_request: Option<u64>,
}

impl Target {
    /// A `GET` of `url`.
    pub fn get(url: String, token: Option<String>) -> Self {
        Self {
            method: Method::GET,
            url,
            token,
            body: Body::None,
            expect: None,
            one_connection: false,
            creates_per_request: None,
        }
    }

    /// Whether `status` is the answer this target expects.
    pub fn succeeded(&self, status: StatusCode) -> bool {
        match self.expect {
            Some(expected) => status == expected,
            None => status.is_success(),
        }
    }
}

/// The outcome of driving one target.
#[derive(Debug, Clone, Serialize)]
pub struct Measurement {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub first_error: Option<String>,
}

/// What one closed-loop worker saw while recording.
#[derive(Default)]
pub struct WorkerLog {
    pub latencies_us: Vec<u32>,
    pub errors: u64,
    pub first_error: Option<String>,
}

/// A client that keeps one connection per worker open.
pub fn client(connections: usize) -> reqwest::Result<Client> {
    Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
}

/// One request; `Err` carries what went wrong for the report.
pub async fn send(client: &Client, target: &Target) -> Result<(StatusCode, Vec<u8>), String> {
    let (url, body) = target.body.next(&target.url);
    let mut request = client.request(target.method.clone(), url);
    if let Some(token) = &target.token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/scim+json")
            .body(body);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, body.to_vec()))
}

async fn worker(
    client: Client,
    target: Target,
    measure_from: Instant,
    until: Instant,
) -> WorkerLog {
    let mut log = WorkerLog::default();
    loop {
        let started = Instant::now();
        if started >= until {
            return log;
        }
        let outcome = send(&client, &target).await;
        if started < measure_from {
            continue;
        }
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        log.latencies_us.push(micros);
        let failure = match outcome {
            Ok((status, _)) if target.succeeded(status) => None,
            Ok((status, body)) => Some(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            )),
            Err(err) => Some(err),
        };
        if let Some(failure) = failure {
            log.errors += 1;
            log.first_error.get_or_insert(failure);
        }
    }
}

/// Drives `target` for `warmup` (not recorded) and then `duration`.
pub async fn drive(
    client: &Client,
    target: &Target,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> anyhow::Result<Measurement> {
    let measure_from = Instant::now() + warmup;
    let until = measure_from + duration;
    let workers: Vec<_> = (0..connections)
        .map(|_| tokio::spawn(worker(client.clone(), target.clone(), measure_from, until)))
        .collect();
    let mut logs = Vec::with_capacity(workers.len());
    for handle in workers {
        logs.push(handle.await?);
    }
    Ok(Measurement::of(logs, measure_from.elapsed().as_secs_f64()))
}

impl Measurement {
    /// The workers' logs merged: exact percentiles over every recorded latency.
    pub fn of(logs: Vec<WorkerLog>, seconds: f64) -> Self {
        let mut latencies = Vec::new();
        let (mut errors, mut first_error) = (0, None);
        for log in logs {
            latencies.extend(log.latencies_us);
            errors += log.errors;
            first_error = first_error.or(log.first_error);
        }
        latencies.sort_unstable();
        let requests = latencies.len() as u64;
        Measurement {
            requests,
            errors,
            seconds,
            requests_per_sec: requests as f64 / seconds.max(1e-9),
            p50_ms: percentile_ms(&latencies, 0.50),
            p99_ms: percentile_ms(&latencies, 0.99),
            max_ms: latencies.last().map_or(0.0, |&us| f64::from(us) / 1000.0),
            first_error,
        }
    }
}

/// Nearest-rank percentile of sorted microsecond latencies, in milliseconds.
fn percentile_ms(sorted_us: &[u32], quantile: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (quantile * sorted_us.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted_us.len()) - 1;
    f64::from(sorted_us[index]) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let us: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile_ms(&us, 0.50), 50.0);
        assert_eq!(percentile_ms(&us, 0.99), 99.0);
        assert_eq!(percentile_ms(&[], 0.5), 0.0);
    }
}
