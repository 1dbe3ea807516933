//! A cold start under load: a fresh server process meets 64 concurrent connections whose
//! first requests all carry the same token, never verified by any process before (as when a
//! pod restarts in the middle of an IdP's concurrent sync). Reported: the process's peak RSS
//! (target: under 150 MiB, well inside the Helm chart's 512 MiB limit), the argon2
//! verifications it ran (from `/metrics`), and the latencies.

use std::path::Path;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;

use crate::load::{self, Body, Measurement, Target};
use crate::server;

pub const CONNECTIONS: usize = 64;
/// Peak RSS the cold start should stay under.
pub const TARGET_MIB: f64 = 150.0;

#[derive(Debug, Clone, Serialize)]
pub struct ColdStart {
    pub connections: usize,
    pub request: String,
    /// Peak RSS when `/healthz` first answered, before any request with a token.
    pub ready_peak_rss_kib: Option<u64>,
    /// Peak RSS after the load.
    pub peak_rss_kib: Option<u64>,
    /// Argon2id verifications the process ran (`scimgate_argon2_runs_total`).
    pub argon2_verifications: Option<u64>,
    pub measurement: Measurement,
}

/// Starts a server of its own on `database_url`, drives `GET /Users/{missing id}` (404: auth
/// plus one indexed miss) with `token` on 64 connections from the first request on, for
/// `duration` (at least one token-cache lifetime of 10 s, unless a smoke run), then stops it.
pub async fn measure(
    binary: &Path,
    database_url: &str,
    out: &Path,
    users_path: &str,
    token: &str,
    duration: Duration,
) -> anyhow::Result<ColdStart> {
    let server = server::start(binary, database_url, out, "server-cold-start.log").await?;
    let ready = server.usage();
    // The same id no user has as the `auth:` scenario's.
    let missing = uuid::Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001);
    let url = format!("{}{users_path}/{missing}", server.origin);
    let target = Target {
        method: Method::GET,
        url: url.clone(),
        token: Some(token.to_owned()),
        body: Body::None,
        expect: Some(StatusCode::NOT_FOUND),
        one_connection: false,
        creates_per_request: None,
    };
    let client = load::client(CONNECTIONS)?;
    eprint!("  {:<40}", "cold start, 64 connections");
    let measurement = load::drive(&client, &target, CONNECTIONS, Duration::ZERO, duration).await?;
    let usage = server.usage();
    let argon2_verifications = verifications(&client, &server.origin).await;
    eprintln!(
        "peak RSS {:.1} MiB, argon2 verifications {}, max {:.0} ms, errors {}",
        usage.peak_rss_kib.unwrap_or(0) as f64 / 1024.0,
        argon2_verifications.map_or_else(|| "?".into(), |n| n.to_string()),
        measurement.max_ms,
        measurement.errors
    );
    Ok(ColdStart {
        connections: CONNECTIONS,
        request: url.strip_prefix(&server.origin).unwrap_or(&url).to_owned(),
        ready_peak_rss_kib: ready.peak_rss_kib,
        peak_rss_kib: usage.peak_rss_kib,
        argon2_verifications,
        measurement,
    })
}

/// `scimgate_argon2_runs_total{operation="verify"}` of the server's `/metrics`.
async fn verifications(client: &reqwest::Client, origin: &str) -> Option<u64> {
    let text = client
        .get(format!("{origin}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let runs = text
        .lines()
        .filter(|line| line.starts_with("scimgate_argon2_runs_total{"))
        .filter(|line| line.contains(r#"operation="verify""#))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    Some(runs)
}
