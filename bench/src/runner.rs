//! Runs the scenarios one after another: a probe request first (status, hits, size), then the
//! timed load. The cursor scenarios are skipped with a note when the server does not page by
//! cursor yet.

use std::time::{Duration, Instant};

use reqwest::Client;
use serde::Serialize;
use serde_json::Value;

use crate::args::Plan;
use crate::baseline_txn;
use crate::load::{Measurement, drive, send};
use crate::scenarios::{Scenario, first_cursor_page, next_cursor_page};

/// A request slower than this alone is measured on one connection.
const SLOW_REQUEST: Duration = Duration::from_millis(250);
/// Sequential requests whose median is the idle latency.
const IDLE_SAMPLES: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub name: String,
    /// Path and query of the request.
    pub request: String,
    /// `totalResults` of a list answer.
    pub total_results: Option<u64>,
    pub response_bytes: usize,
    /// Connections that drove it (fewer than asked for very slow requests).
    pub connections: usize,
    /// Median of a few requests sent one at a time before the load.
    pub idle_ms: Option<f64>,
    pub measurement: Option<Measurement>,
    /// Why there is no measurement.
    pub note: Option<String>,
    /// The server's peak RSS (`VmHWM`) once this scenario had run: where it rises is what
    /// raised it.
    pub server_peak_rss_kib: Option<u64>,
}

fn path_of(url: &str) -> String {
    match url
        .find("://")
        .and_then(|i| url[i + 3..].find('/').map(|j| i + 3 + j))
    {
        Some(start) => url[start..].to_owned(),
        None => url.to_owned(),
    }
}

fn unmeasured(scenario: &Scenario, note: String) -> Outcome {
    Outcome {
        name: scenario.name.clone(),
        request: path_of(&scenario.target.url),
        total_results: None,
        response_bytes: 0,
        connections: 0,
        idle_ms: None,
        measurement: None,
        note: Some(note),
        server_peak_rss_kib: None,
    }
}

/// The probe's answer, or `Err(note)` when it is no success.
async fn probe(client: &Client, scenario: &Scenario) -> Result<(Value, usize), String> {
    match send(client, &scenario.target).await {
        Ok((status, body)) if scenario.target.succeeded(status) => {
            let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
            Ok((json, body.len()))
        }
        Ok((status, body)) => Err(format!(
            "{status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        )),
        Err(err) => Err(err),
    }
}

pub async fn run(client: &Client, plan: &Plan, scenario: &Scenario) -> anyhow::Result<Outcome> {
    eprint!("  {:<40}", scenario.name);
    let probe_started = Instant::now();
    let (json, bytes) = match probe(client, scenario).await {
        Ok(answer) => answer,
        Err(note) => {
            eprintln!("failed: {note}");
            return Ok(unmeasured(scenario, format!("probe failed: {note}")));
        }
    };
    let single = probe_started.elapsed();
    let idle_ms = idle_latency_ms(client, scenario, single).await;
    // Queueing dozens of requests that each take seconds would only measure the queue (and
    // run into the client's timeout): such a scenario is driven by one connection.
    let (connections, note) = if single > SLOW_REQUEST {
        let note = format!(
            "one connection: a single request took {:.0} ms",
            single.as_secs_f64() * 1000.0
        );
        (1, Some(note))
    } else if scenario.target.one_connection {
        (1, Some("one connection by design".into()))
    } else {
        (plan.connections, None)
    };
    let measurement = drive(
        client,
        &scenario.target,
        connections,
        plan.warmup,
        plan.duration,
    )
    .await?;
    let note = match scenario.target.creates_per_request {
        Some(creates) => {
            let per_sec = measurement.requests_per_sec * creates as f64;
            let text = format!("{per_sec:.0} users/s ({creates} per request)");
            Some(note.map_or(text.clone(), |n| format!("{n}; {text}")))
        }
        None => note,
    };
    eprintln!(
        "{:>9.0} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  errors {}  ({connections} conn.)",
        measurement.requests_per_sec, measurement.p50_ms, measurement.p99_ms, measurement.errors
    );
    Ok(Outcome {
        name: scenario.name.clone(),
        request: path_of(&scenario.target.url),
        total_results: json.get("totalResults").and_then(Value::as_u64),
        response_bytes: bytes,
        connections,
        idle_ms: Some(idle_ms),
        measurement: Some(measurement),
        note,
        server_peak_rss_kib: None,
    })
}

/// The create baseline (`baseline_txn`) as a row of the table: transactions per second.
pub async fn run_baseline(plan: &Plan, tenant: uuid::Uuid, run: &str) -> anyhow::Result<Outcome> {
    eprint!("  {:<40}", baseline_txn::NAME);
    let connections = baseline_txn::clients(plan);
    let measurement = baseline_txn::measure(plan, tenant, run).await?;
    eprintln!(
        "{:>9.0} txn/s  p50 {:>8.2} ms  p99 {:>8.2} ms  errors {}  ({connections} conn.)",
        measurement.requests_per_sec, measurement.p50_ms, measurement.p99_ms, measurement.errors
    );
    Ok(Outcome {
        name: baseline_txn::NAME.into(),
        request: baseline_txn::SHAPE.into(),
        total_results: None,
        response_bytes: 0,
        connections,
        idle_ms: None,
        measurement: Some(measurement),
        note: Some("transactions, not HTTP requests".into()),
        server_peak_rss_kib: None,
    })
}

/// Median latency of requests sent one at a time on an otherwise idle server: what a request
/// costs without queueing. A slow first answer is taken as it is.
async fn idle_latency_ms(client: &Client, scenario: &Scenario, first: Duration) -> f64 {
    let mut samples = vec![first];
    if first <= SLOW_REQUEST {
        for _ in 0..IDLE_SAMPLES - 1 {
            let started = Instant::now();
            // Failures show in the measurement; here only the time counts.
            let _ = send(client, &scenario.target).await;
            samples.push(started.elapsed());
        }
    }
    samples.sort_unstable();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

/// The first cursor page and the one its `nextCursor` leads to; skipped with a note while the
/// server answers cursor requests with an error.
pub async fn run_cursor(
    client: &Client,
    plan: &Plan,
    users_url: &str,
    token: &str,
) -> anyhow::Result<Vec<Outcome>> {
    let first = first_cursor_page(users_url, token)?;
    let next = match probe(client, &first).await {
        Ok((json, _)) => json
            .get("nextCursor")
            .and_then(Value::as_str)
            .map(str::to_owned),
        Err(note) => {
            eprintln!("  {:<40}skipped: {note}", first.name);
            let note = format!("skipped: cursor paging not available ({note})");
            return Ok(vec![unmeasured(&first, note)]);
        }
    };
    let mut outcomes = vec![run(client, plan, &first).await?];
    match next {
        Some(cursor) => {
            let second = next_cursor_page(users_url, token, &cursor)?;
            outcomes.push(run(client, plan, &second).await?);
        }
        None => outcomes.push(unmeasured(
            &first,
            "the first cursor page had no nextCursor".into(),
        )),
    }
    Ok(outcomes)
}
