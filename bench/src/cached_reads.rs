//! Cached reads while an IdP writes (issue #14, item 4): `GET /Users/{id}` of one user by half
//! the connections, alone and then while the other half creates new users, in the same run.
//! The read rate under creates is reported as a ratio to the rate alone (target ≥ 0.5×): a
//! create must not drop the cached reads of other resources.

use std::fmt::Write as _;

use reqwest::{Client, Method, StatusCode};

use crate::args::Plan;
use crate::load::{Body, Measurement, Target, drive, send};
use crate::report::Report;
use crate::runner::Outcome;
use crate::users::UserSpec;
use crate::writes::{Setup, new_users, target};

pub const ALONE: &str = "cached GET /Users/{id}, no writes";
pub const UNDER_CREATES: &str = "cached GET /Users/{id}, concurrent creates";
pub const CREATES: &str = "POST user, concurrent with cached GETs";
/// Share of the read rate without writes that the reads must keep under creates.
const TARGET_RATIO: f64 = 0.5;

fn outcome(name: &str, target: &Target, connections: usize, m: Measurement) -> Outcome {
    eprintln!(
        "  {name:<40}{:>9.0} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  errors {}  ({connections} conn.)",
        m.requests_per_sec, m.p50_ms, m.p99_ms, m.errors
    );
    let path = target
        .url
        .find("/t/")
        .map_or(&target.url[..], |at| &target.url[at..]);
    Outcome {
        name: name.into(),
        request: format!("{} {path}", target.method),
        total_results: None,
        response_bytes: 0,
        connections,
        idle_ms: None,
        measurement: Some(m),
        note: Some("half the connections read, the other half create".into()),
        server_peak_rss_kib: None,
    }
}

/// The three rows: reads alone, reads under creates, and the creates meanwhile.
pub async fn measure(client: &Client, plan: &Plan, ctx: &Setup) -> anyhow::Result<Vec<Outcome>> {
    // Nothing else in the bench writes this user: its cached entry only goes stale if some
    // other write drops it.
    let user = UserSpec::new(ctx.salt, ctx.users / 4);
    let read = target(
        ctx,
        Method::GET,
        format!("{}/Users/{}", ctx.scim_url, user.id()),
        Body::None,
        StatusCode::OK,
    );
    let create = target(
        ctx,
        Method::POST,
        format!("{}/Users", ctx.scim_url),
        new_users(ctx, "mixed"),
        StatusCode::CREATED,
    );
    match send(client, &read).await {
        Ok((status, _)) if read.succeeded(status) => {}
        Ok((status, _)) => anyhow::bail!("GET of the cached-read user answered {status}"),
        Err(err) => anyhow::bail!("GET of the cached-read user: {err}"),
    }
    let half = (plan.connections / 2).max(1);
    let alone = drive(client, &read, half, plan.warmup, plan.duration).await?;
    let writers = crate::load::client(half)?;
    let (under, creates) = tokio::join!(
        drive(client, &read, half, plan.warmup, plan.duration),
        drive(&writers, &create, half, plan.warmup, plan.duration),
    );
    Ok(vec![
        outcome(ALONE, &read, half, alone),
        outcome(UNDER_CREATES, &read, half, under?),
        outcome(CREATES, &create, half, creates?),
    ])
}

/// The ratio line of the report.
pub fn section(report: &Report, md: &mut String) -> std::fmt::Result {
    let rps = |name: &str| {
        report
            .rows
            .iter()
            .find(|row| row.outcome.name == name)
            .and_then(|row| row.outcome.measurement.as_ref())
            .map(|m| m.requests_per_sec)
    };
    let (Some(alone), Some(under)) = (rps(ALONE), rps(UNDER_CREATES)) else {
        return Ok(());
    };
    if alone <= 0.0 {
        return Ok(());
    }
    let ratio = under / alone;
    let verdict = if ratio >= TARGET_RATIO {
        "met"
    } else {
        "MISSED"
    };
    writeln!(
        md,
        "\nCached reads under writes (issue #14, item 4): `{UNDER_CREATES}` {under:.0} req/s ÷ \
         `{ALONE}` {alone:.0} req/s = {ratio:.2}× (target ≥ {TARGET_RATIO}×: {verdict}); \
         creates meanwhile: {:.0} req/s",
        rps(CREATES).unwrap_or(0.0)
    )
}
