//! `report.json` (everything) and `report.md` (the table, then the query plans).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use crate::cold_start::{self, ColdStart};
use crate::events::{self, Events};
use crate::explain::Plan;
use crate::machine::Machine;
use crate::runner::Outcome;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub outcome: Outcome,
    /// p50 of the scenario divided by p50 of `/healthz`.
    pub p50_vs_healthz: Option<f64>,
    /// req/s of the scenario divided by req/s of `/healthz`.
    pub rps_vs_healthz: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub date: String,
    pub database: String,
    pub database_version: String,
    pub users: u64,
    pub noise_users: u64,
    pub seed_secs: Option<f64>,
    pub connections: usize,
    pub duration_secs: f64,
    pub warmup_secs: f64,
    pub machine: Machine,
    pub rows: Vec<Row>,
    pub plans: Vec<Plan>,
    /// The server process at the end of the run.
    pub server_usage: crate::server::Usage,
    /// A fresh server process under 64 connections from its first request on (not in
    /// `--writes-only` runs).
    pub cold_start: Option<ColdStart>,
    /// The change-event scenarios: webhook overhead, dispatcher throughput, event lag (not in
    /// `--writes-only` runs).
    pub events: Option<Events>,
}

/// Ratios against the first outcome, the `/healthz` baseline.
pub fn rows(outcomes: Vec<Outcome>) -> Vec<Row> {
    let base = outcomes.first().and_then(|o| o.measurement.clone());
    outcomes
        .into_iter()
        .map(|outcome| {
            let ratio = |f: fn(&crate::load::Measurement) -> f64| {
                let (m, b) = (outcome.measurement.as_ref()?, base.as_ref()?);
                (f(b) > 0.0).then(|| f(m) / f(b))
            };
            Row {
                p50_vs_healthz: ratio(|m| m.p50_ms),
                rps_vs_healthz: ratio(|m| m.requests_per_sec),
                outcome,
            }
        })
        .collect()
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "–".into())
}

fn peak_mib(outcome: &Outcome) -> String {
    or_dash(
        outcome
            .server_peak_rss_kib
            .map(|kib| format!("{:.0} MiB", kib as f64 / 1024.0)),
    )
}

fn table(report: &Report, md: &mut String) -> std::fmt::Result {
    writeln!(
        md,
        "| scenario | hits | idle ms | conns | req/s | p50 ms | p99 ms | max ms | errors | p50 ÷ healthz | req/s ÷ healthz | server peak RSS after |"
    )?;
    writeln!(
        md,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )?;
    for row in &report.rows {
        let o = &row.outcome;
        let Some(m) = &o.measurement else {
            writeln!(
                md,
                "| {} | – | – | – | – | – | – | – | – | – | {} | {} |",
                o.name,
                or_dash(o.note.clone()),
                peak_mib(o)
            )?;
            continue;
        };
        writeln!(
            md,
            "| {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} | {} | {} | {} | {} |",
            o.name,
            or_dash(o.total_results.map(|t| t.to_string())),
            or_dash(o.idle_ms.map(|ms| format!("{ms:.2}"))),
            o.connections,
            m.requests_per_sec,
            m.p50_ms,
            m.p99_ms,
            m.max_ms,
            m.errors,
            or_dash(row.p50_vs_healthz.map(|r| format!("{r:.1}×"))),
            or_dash(row.rps_vs_healthz.map(|r| format!("{:.1} %", r * 100.0))),
            peak_mib(o),
        )?;
    }
    Ok(())
}

/// p50 of the big-group PATCH over p50 of the small-group PATCH (target: within 2×).
fn group_patch_ratio(report: &Report, md: &mut String) -> std::fmt::Result {
    let p50s: Vec<(&str, f64)> = report
        .rows
        .iter()
        .filter(|row| row.outcome.name.starts_with("PATCH group +1 member"))
        .filter_map(|row| {
            Some((
                row.outcome.name.as_str(),
                row.outcome.measurement.as_ref()?.p50_ms,
            ))
        })
        .collect();
    if let [(big, big_p50), (small, small_p50)] = p50s[..]
        && small_p50 > 0.0
    {
        writeln!(
            md,
            "\np50 of `{big}` ÷ p50 of `{small}`: {:.2}× (target: within 2×, p50 under 5 ms)",
            big_p50 / small_p50
        )?;
    }
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

/// The change-event measurements against the targets of issue #15.
fn events_section(events: &Events, md: &mut String) -> std::fmt::Result {
    writeln!(
        md,
        "\nChange events (tenant `{}`, webhook receiver in the bench process on 127.0.0.1):\n",
        events.tenant
    )?;
    if let Some(ratio) = events.post_rps_ratio {
        writeln!(
            md,
            "- req/s of `{}` ÷ req/s of `{}`: {ratio:.2}× (target ≥ 0.85×: {})",
            events::WITH,
            events::WITHOUT,
            verdict(ratio >= 0.85)
        )?;
    }
    for t in &events.throughput {
        writeln!(
            md,
            "- dispatcher throughput, {} endpoint(s), {} events written while they were paused, \
             then resumed: {:.0} deliveries/s from the first arrival to the last ({:.2} s; {:.2} s \
             after resuming) (target ≥ 2 000/s: {}); {} of {} unique (endpoint, webhook-id), {} \
             duplicates, {} missing, {} failed writes",
            t.endpoints,
            t.events,
            t.deliveries_per_sec,
            t.seconds,
            t.resume_to_last_secs,
            verdict(t.deliveries_per_sec >= 2000.0),
            t.unique_deliveries,
            t.events * t.endpoints,
            t.duplicates,
            t.missing,
            t.failed_writes
        )?;
    }
    let l = &events.lag;
    writeln!(
        md,
        "- event lag on an idle server ({} single POSTs spaced 50–150 ms apart; write's response \
         to the delivery's arrival): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {} of {} \
         delivered (target p99 < 1 s: {})",
        l.writes,
        l.p50_ms,
        l.p99_ms,
        l.max_ms,
        l.delivered,
        l.writes,
        verdict(l.p99_ms < 1000.0 && l.delivered == l.writes)
    )
}

fn mib(kib: Option<u64>) -> String {
    or_dash(kib.map(|kib| format!("{:.1} MiB", kib as f64 / 1024.0)))
}

/// The cold start's peak RSS against its target, and what it cost.
fn cold_start_line(cold: &ColdStart, md: &mut String) -> std::fmt::Result {
    let m = &cold.measurement;
    let verdict = match cold.peak_rss_kib {
        Some(kib) if kib as f64 / 1024.0 < cold_start::TARGET_MIB => "met",
        Some(_) => "MISSED",
        None => "unknown",
    };
    writeln!(
        md,
        "- cold start (a fresh server process, {} connections from its first request on, one \
         token no process had verified, `{}`, {:.0} s): peak RSS {} (target under {:.0} MiB: \
         {verdict}; {} when ready), argon2 verifications {}, {:.0} req/s, p50 {:.2} ms, max \
         {:.0} ms, {} errors\n",
        cold.connections,
        cold.request,
        m.seconds,
        mib(cold.peak_rss_kib),
        cold_start::TARGET_MIB,
        mib(cold.ready_peak_rss_kib),
        or_dash(cold.argon2_verifications.map(|n| n.to_string())),
        m.requests_per_sec,
        m.p50_ms,
        m.max_ms,
        m.errors
    )
}

pub fn markdown(report: &Report) -> Result<String, std::fmt::Error> {
    let mut md = String::new();
    writeln!(md, "# scimgate benchmark, {}\n", report.date)?;
    let m = &report.machine;
    writeln!(
        md,
        "- database: {} ({}), {} users + {} noise users{}",
        report.database,
        report.database_version,
        report.users,
        report.noise_users,
        report
            .seed_secs
            .map(|s| format!(
                ", seeded in {s:.1} s ({:.0} users/s)",
                (report.users + report.noise_users) as f64 / s.max(1e-9)
            ))
            .unwrap_or_default()
    )?;
    writeln!(
        md,
        "- machine: {} cores, {}, {} memory, load average {} at start; commit {}",
        m.cores,
        or_dash(m.cpu.clone()),
        or_dash(m.memory.clone()),
        or_dash(m.load_average.clone()),
        or_dash(m.commit.clone())
    )?;
    writeln!(
        md,
        "- load: {} connections, {:.0} s per scenario after {:.0} s warm-up, client on the same machine",
        report.connections, report.duration_secs, report.warmup_secs
    )?;
    writeln!(
        md,
        "- server process at the end: peak RSS {}, CPU time {} (user + system)",
        or_dash(
            report
                .server_usage
                .peak_rss_kib
                .map(|kib| format!("{:.1} MiB", kib as f64 / 1024.0))
        ),
        or_dash(report.server_usage.cpu_secs.map(|s| format!("{s:.1} s")))
    )?;
    if let Some(cold) = &report.cold_start {
        cold_start_line(cold, &mut md)?;
    }
    table(report, &mut md)?;
    group_patch_ratio(report, &mut md)?;
    crate::write_targets::section(report, &mut md)?;
    crate::read_targets::section(report, &mut md)?;
    crate::cached_reads::section(report, &mut md)?;
    if let Some(events) = &report.events {
        events_section(events, &mut md)?;
    }
    writeln!(md, "\nRequests:\n")?;
    for row in &report.rows {
        let o = &row.outcome;
        let note = o
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        writeln!(md, "- {}: `{}`{note}", o.name, o.request)?;
    }
    writeln!(md, "\n## Query plans\n")?;
    for plan in &report.plans {
        writeln!(md, "### {}\n\nFilter `{}`\n", plan.query, plan.filter)?;
        writeln!(
            md,
            "```sql\n{}\n```\n\n```\n{}\n```\n",
            plan.sql,
            plan.plan.join("\n")
        )?;
    }
    Ok(md)
}

pub fn write(report: &Report, out: &Path) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(report)?;
    std::fs::write(out.join("report.json"), json).context("writing report.json")?;
    let md = markdown(report).context("formatting report.md")?;
    std::fs::write(out.join("report.md"), md).context("writing report.md")?;
    Ok(())
}
