//! The write-throughput targets of issue #14, read off the table: creates, PUTs and PATCHes
//! at full concurrency against the create baseline of the same run (PostgreSQL) or 2 000/s
//! (SQLite), and one /Bulk of 1 000 creates under 0.5 s.

use std::fmt::Write as _;

use crate::baseline_txn;
use crate::load::Measurement;
use crate::report::Report;
use crate::spread_writes::{PATCH_NAME, PUT_NAME};
use crate::writes::{BULK_PREFIX, POST_NAME};

/// Share of the baseline a write must reach on PostgreSQL.
const OF_BASELINE: f64 = 0.8;
/// Writes per second on SQLite.
const SQLITE_RPS: f64 = 2_000.0;
const BULK_SECS: f64 = 0.5;

fn measured(report: &Report, matches: impl Fn(&str) -> bool) -> Option<&Measurement> {
    report
        .rows
        .iter()
        .find(|row| matches(&row.outcome.name))
        .and_then(|row| row.outcome.measurement.as_ref())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

pub fn section(report: &Report, md: &mut String) -> std::fmt::Result {
    let baseline = measured(report, |name| name == baseline_txn::NAME)
        .map(|m| m.requests_per_sec)
        .filter(|rps| *rps > 0.0);
    let postgres = report.database == "PostgreSQL";
    writeln!(md, "\nWrite throughput (issue #14):\n")?;
    for name in [POST_NAME, PUT_NAME, PATCH_NAME] {
        let Some(m) = measured(report, |n| n == name) else {
            continue;
        };
        let rps = m.requests_per_sec;
        let ratio = baseline.map(|b| rps / b);
        let ratio_text = ratio.map_or_else(String::new, |r| format!(", {r:.2}× the baseline"));
        let target = if postgres {
            format!(
                "target ≥ {OF_BASELINE}× the baseline: {}",
                ratio.map_or("unknown", |r| verdict(r >= OF_BASELINE))
            )
        } else {
            format!("target ≥ {SQLITE_RPS:.0}/s: {}", verdict(rps >= SQLITE_RPS))
        };
        writeln!(md, "- `{name}`: {rps:.0} req/s{ratio_text} ({target})")?;
    }
    let bulk = report
        .rows
        .iter()
        .find(|row| row.outcome.name.starts_with(BULK_PREFIX));
    if let Some(row) = bulk
        && let Some(m) = &row.outcome.measurement
    {
        // "POST /Bulk, <n> user creates": the target is for 1 000 (a smoke run sends 100).
        let creates: Option<u64> = row.outcome.name[BULK_PREFIX.len()..]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok());
        let secs = m.p50_ms / 1000.0;
        let verdict = match creates {
            Some(1_000) => verdict(secs < BULK_SECS),
            _ => "not judged: the target is for 1 000 creates",
        };
        writeln!(
            md,
            "- `{}`: p50 {secs:.2} s per request (target under {BULK_SECS} s for 1 000: \
             {verdict})",
            row.outcome.name
        )?;
    }
    Ok(())
}
