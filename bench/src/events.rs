//! The change-event scenarios (issue #15): on a fresh tenant created through the admin API,
//! POST /Users without and with one webhook registered (same settings, one after the other),
//! the lag from a write's response to its delivery on an idle server, and the dispatcher's
//! throughput on a backlog of events. Deliveries go to the bench's own receiver.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use reqwest::{Client, Method};
use serde::Serialize;
use serde_json::{Value, json};

use crate::args::Plan;
use crate::event_api::{Api, call};
use crate::load::{Target, send};
use crate::receiver::{Arrival, Receiver};
use crate::runner::{self, Outcome};
use crate::scenarios::Scenario;

pub const WITHOUT: &str = "POST user, events tenant, no webhook";
pub const WITH: &str = "POST user, events tenant, one webhook";
/// How long a delivery may keep the bench waiting before it counts as missing: past the
/// dispatcher's first retry (about 1 s) with room for a loaded machine.
const STALL: Duration = Duration::from_secs(10);
/// Endpoints of the second throughput run: as many as the dispatcher's 64 slots hold at its
/// 8 per endpoint, so the per-endpoint limit is not what bounds it.
const MANY_ENDPOINTS: u64 = 8;

/// What the event scenarios found, besides the two POST rows of the main table.
#[derive(Debug, Clone, Serialize)]
pub struct Events {
    pub tenant: String,
    /// req/s with the webhook ÷ req/s without.
    pub post_rps_ratio: Option<f64>,
    /// With one endpoint, then with `MANY_ENDPOINTS`.
    pub throughput: Vec<Throughput>,
    pub lag: Lag,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Throughput {
    /// Endpoints registered (all on the receiver): every event goes to each.
    pub endpoints: u64,
    /// Writes of the burst that succeeded: one `user.created` event each.
    pub events: u64,
    pub failed_writes: u64,
    /// Distinct (endpoint, `webhook-id`) pairs that arrived: `events × endpoints` when
    /// complete.
    pub unique_deliveries: u64,
    /// Arrivals of a pair that had arrived already.
    pub duplicates: u64,
    pub missing: u64,
    /// From the first to the last arrival.
    pub seconds: f64,
    pub deliveries_per_sec: f64,
    /// From resuming the endpoints to the last arrival.
    pub resume_to_last_secs: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Lag {
    pub writes: u64,
    pub delivered: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Every lag, in the order of the writes.
    pub samples_ms: Vec<f64>,
}

impl Events {
    /// Whether every event arrived, exactly once.
    pub fn complete(&self) -> bool {
        self.throughput
            .iter()
            .all(|t| t.failed_writes == 0 && t.missing == 0 && t.duplicates == 0)
            && self.lag.delivered == self.lag.writes
    }
}

/// Creates the tenant `events-<run id>` and a token, then runs the three measurements.
pub async fn measure(
    client: &Client,
    plan: &Plan,
    origin: &str,
    admin_key: &str,
    run_id: &str,
) -> anyhow::Result<(Vec<Outcome>, Events)> {
    let receiver = Receiver::start().await?;
    let slug = format!("events-{run_id}");
    let tenants = format!("{origin}/admin/v1/tenants");
    call(
        client,
        Method::POST,
        &tenants,
        admin_key,
        Some(json!({ "slug": slug })),
    )
    .await?;
    let issued = call(
        client,
        Method::POST,
        &format!("{tenants}/{slug}/tokens"),
        admin_key,
        Some(json!({ "name": "bench events" })),
    )
    .await?;
    let token = issued
        .get("token")
        .and_then(Value::as_str)
        .context("the issued token is missing")?
        .to_owned();
    let api = Api {
        client,
        origin,
        admin_key,
        slug: slug.clone(),
        token,
        run_id,
    };
    eprintln!("  events tenant {slug}, receiver {}", receiver.origin);
    let outcomes = post_pair(&api, plan, &receiver).await?;
    let post_rps_ratio = match &outcomes[..] {
        [without, with] => match (&without.measurement, &with.measurement) {
            (Some(without), Some(with)) if without.requests_per_sec > 0.0 => {
                Some(with.requests_per_sec / without.requests_per_sec)
            }
            _ => None,
        },
        _ => None,
    };
    let lag = lag(&api, &receiver, if plan.smoke { 5 } else { 40 }).await?;
    eprintln!(
        "  {:<40}p50 {:.1} ms  p99 {:.1} ms  ({}/{} delivered)",
        "event lag (idle)", lag.p50_ms, lag.p99_ms, lag.delivered, lag.writes
    );
    let events = if plan.smoke { 50 } else { 1_000 };
    let mut throughputs = Vec::new();
    for endpoints in [1, MANY_ENDPOINTS] {
        let t = throughput(&api, plan, &receiver, endpoints, events).await?;
        eprintln!(
            "  {:<40}{:.0} deliveries/s  ({} of {}, {} duplicates)",
            format!("dispatcher throughput, {endpoints} endpoint(s)"),
            t.deliveries_per_sec,
            t.unique_deliveries,
            t.events * t.endpoints,
            t.duplicates
        );
        throughputs.push(t);
    }
    Ok((
        outcomes,
        Events {
            tenant: slug,
            post_rps_ratio,
            throughput: throughputs,
            lag,
        },
    ))
}

/// The same POST scenario twice: without a webhook, then with one (removed afterwards, so its
/// backlog does not load what follows).
async fn post_pair(
    api: &Api<'_>,
    plan: &Plan,
    receiver: &Receiver,
) -> anyhow::Result<Vec<Outcome>> {
    let without = Scenario {
        name: WITHOUT.into(),
        target: api.post_user("ev-plain"),
    };
    let mut outcomes = vec![runner::run(api.client, plan, &without).await?];
    let webhook = api.register(&receiver.url("post")).await?;
    let with = Scenario {
        name: WITH.into(),
        target: api.post_user("ev-hooked"),
    };
    outcomes.push(runner::run(api.client, plan, &with).await?);
    api.unregister(&webhook).await?;
    Ok(outcomes)
}

/// Waits until `name` has seen `count` arrivals, or nothing arrived for `STALL`.
async fn wait_for(receiver: &Receiver, name: &str, count: usize) -> Vec<Arrival> {
    let mut last_change = Instant::now();
    let mut seen = 0;
    loop {
        let arrivals = receiver.arrivals(name);
        if arrivals.len() >= count || last_change.elapsed() > STALL {
            return arrivals;
        }
        if arrivals.len() != seen {
            (seen, last_change) = (arrivals.len(), Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Nearest-rank percentile of sorted `values`.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `writes` single POSTs, each after the previous one's delivery and a pause that shifts its
/// phase against the dispatcher's tick: lag is the delivery's arrival minus the response.
async fn lag(api: &Api<'_>, receiver: &Receiver, writes: u64) -> anyhow::Result<Lag> {
    let webhook = api.register(&receiver.url("lag")).await?;
    let target = api.post_user("ev-lag");
    let mut lags = Vec::new();
    for i in 0..writes {
        tokio::time::sleep(Duration::from_millis(50 + (i * 37) % 100)).await;
        match send(api.client, &target).await {
            Ok((status, _)) if target.succeeded(status) => {}
            Ok((status, _)) => bail!("a lag write answered {status}"),
            Err(err) => bail!("a lag write failed: {err}"),
        }
        let responded = Instant::now();
        let arrivals = wait_for(receiver, "lag", lags.len() + 1).await;
        let Some(arrival) = arrivals.get(lags.len()) else {
            continue;
        };
        let lag = arrival.at.saturating_duration_since(responded);
        lags.push(lag.as_secs_f64() * 1000.0);
    }
    api.unregister(&webhook).await?;
    let samples_ms = lags.clone();
    lags.sort_by(f64::total_cmp);
    Ok(Lag {
        samples_ms,
        writes,
        delivered: lags.len() as u64,
        p50_ms: percentile(&lags, 0.5),
        p99_ms: percentile(&lags, 0.99),
        max_ms: lags.last().copied().unwrap_or_default(),
    })
}

/// `events` writes while `endpoints` endpoints are paused, then resumed: the dispatcher finds
/// the whole backlog at once, and deliveries/s run from the first arrival to the last.
async fn throughput(
    api: &Api<'_>,
    plan: &Plan,
    receiver: &Receiver,
    endpoints: u64,
    events: u64,
) -> anyhow::Result<Throughput> {
    let prefix = format!("burst{endpoints}-");
    let mut webhooks = Vec::new();
    for i in 0..endpoints {
        let id = api.register(&receiver.url(&format!("{prefix}{i}"))).await?;
        api.set_status(&id, "paused").await?;
        webhooks.push(id);
    }
    let tag = format!("ev-burst{endpoints}");
    let written = burst(api.client, api.post_user(&tag), events, plan.connections).await;
    for id in &webhooks {
        api.set_status(id, "active").await?;
    }
    let resumed = Instant::now();
    let expected = written * endpoints;
    let arrivals = wait_for(receiver, &prefix, expected as usize).await;
    for id in &webhooks {
        api.unregister(id).await?;
    }
    let unique: HashSet<(&str, &str)> = arrivals
        .iter()
        .map(|a| (a.path.as_str(), a.webhook_id.as_str()))
        .collect();
    let unique_deliveries = unique.len() as u64;
    let (first, last) = match (arrivals.first(), arrivals.last()) {
        (Some(first), Some(last)) => (first.at, last.at),
        _ => (resumed, resumed),
    };
    let seconds = last.saturating_duration_since(first).as_secs_f64();
    Ok(Throughput {
        endpoints,
        events: written,
        failed_writes: events - written,
        unique_deliveries,
        duplicates: arrivals.len() as u64 - unique_deliveries,
        missing: expected.saturating_sub(unique_deliveries),
        seconds,
        deliveries_per_sec: if seconds > 0.0 {
            (arrivals.len() as f64 - 1.0) / seconds
        } else {
            0.0
        },
        resume_to_last_secs: last.saturating_duration_since(resumed).as_secs_f64(),
    })
}

/// Sends `count` requests of `target` on `connections` connections; returns the successes.
async fn burst(client: &Client, target: Target, count: u64, connections: usize) -> u64 {
    let next = Arc::new(AtomicU64::new(0));
    let succeeded = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, target) = (client.clone(), target.clone());
            let (next, succeeded) = (next.clone(), succeeded.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < count {
                    if let Ok((status, _)) = send(&client, &target).await
                        && target.succeeded(status)
                    {
                        succeeded.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        // A worker that ended early left its share unsent: the count below tells.
        let _ = worker.await;
    }
    succeeded.load(Ordering::Relaxed)
}
