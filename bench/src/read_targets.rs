//! The lookup targets of issue #14, read off the table: `userName eq`, `externalId eq` and
//! `emails[value eq]` at ≥ 0.5× the same run's `GET /Users/{id}` (a cached read by id), and a
//! page of 100 at ≥ 1 500/s on PostgreSQL.

use std::fmt::Write as _;

use crate::report::Report;

/// Share of a cached read by id a lookup must reach.
const OF_READ_BY_ID: f64 = 0.5;
/// Pages of 100 per second on PostgreSQL.
const PAGE_RPS: f64 = 1_500.0;
const READ_BY_ID: &str = "GET /Users/{id}";
const LOOKUPS: [&str; 3] = ["userName eq", "externalId eq", "emails[value eq]"];

fn rps(report: &Report, matches: impl Fn(&str) -> bool) -> Option<(&str, f64)> {
    report.rows.iter().find_map(|row| {
        let measured = row.outcome.measurement.as_ref()?;
        matches(&row.outcome.name).then_some((row.outcome.name.as_str(), measured.requests_per_sec))
    })
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

pub fn section(report: &Report, md: &mut String) -> std::fmt::Result {
    let Some((_, by_id)) = rps(report, |name| name == READ_BY_ID).filter(|(_, r)| *r > 0.0) else {
        return Ok(());
    };
    writeln!(md, "\nLookups and pages (issue #14):\n")?;
    for lookup in LOOKUPS {
        if let Some((name, rps)) = rps(report, |name| name == lookup) {
            let ratio = rps / by_id;
            writeln!(
                md,
                "- `{name}`: {rps:.0} req/s, {ratio:.2}× `{READ_BY_ID}` \
                 (target ≥ {OF_READ_BY_ID}×: {})",
                verdict(ratio >= OF_READ_BY_ID)
            )?;
        }
    }
    let postgres = report.database == "PostgreSQL";
    for page in report
        .rows
        .iter()
        .filter(|row| row.outcome.name.ends_with(" 100"))
    {
        let Some(measured) = &page.outcome.measurement else {
            continue;
        };
        let rps = measured.requests_per_sec;
        let judged = if postgres {
            verdict(rps >= PAGE_RPS)
        } else {
            "not judged: the target is for PostgreSQL"
        };
        writeln!(
            md,
            "- `{}`: {rps:.0} req/s (target ≥ {PAGE_RPS:.0}/s: {judged})",
            page.outcome.name
        )?;
    }
    Ok(())
}
