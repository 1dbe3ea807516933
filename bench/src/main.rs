//! `scimgate-bench`: seed, start the release server, measure, report. See docs/benchmarks.md.
// The bench is a client: it stamps its runs and users with the wall clock, not a server clock.
#![allow(clippy::disallowed_methods)]

mod args;
mod baseline_txn;
mod bulk_load;
mod cached_reads;
mod cold_start;
mod event_api;
mod events;
mod explain;
mod load;
mod machine;
mod prepare;
mod read_targets;
mod receiver;
mod report;
mod runner;
mod scenarios;
mod seeding;
mod server;
mod spread_writes;
mod tenants;
mod users;
mod write_targets;
mod writes;

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::args::{Args, Plan};
use crate::prepare::Prepared;
use crate::report::Report;
use crate::runner::Outcome;

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse().plan()).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs everything; `Ok(false)` when a smoke run saw errors (a full run reports them: an
/// overloaded server answering 503 is a result, not a failure of the bench).
async fn run(plan: Plan) -> anyhow::Result<bool> {
    std::fs::create_dir_all(&plan.out)?;
    let prepared = prepare::database(&plan).await?;
    // First, while no server has seen the freshly issued token.
    let cold = if plan.writes_only || plan.cached_reads_only || plan.events_only {
        None
    } else {
        Some(
            cold_start::measure(
                &plan.server_bin,
                &plan.database_url,
                &plan.out,
                &format!("/t/{}/scim/v2/Users", tenants::MAIN_SLUG),
                &prepared.token,
                cold_duration(&plan),
            )
            .await?,
        )
    };
    let server = server::start(
        &plan.server_bin,
        &plan.database_url,
        &plan.out,
        "server.log",
    )
    .await?;
    eprintln!(
        "measuring {} (log: {})",
        server.origin,
        server.log.display()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let machine = machine::describe(root);
    let (outcomes, events) = measure(&plan, &server, &prepared).await?;
    let server_usage = server.usage();
    drop(server);
    let clean = cold.as_ref().is_none_or(|c| c.measurement.errors == 0)
        && outcomes.iter().all(|o| match (&o.measurement, &o.note) {
            (Some(m), _) => m.errors == 0,
            (None, note) => note.as_deref().is_some_and(|n| n.starts_with("skipped")),
        })
        && events.as_ref().is_none_or(events::Events::complete);
    let report = Report {
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        database: if plan.is_postgres {
            "PostgreSQL"
        } else {
            "SQLite"
        }
        .into(),
        database_version: prepared.database_version.clone(),
        users: prepared.users,
        noise_users: prepared.noise_users,
        seed_secs: prepared.seed_secs,
        connections: plan.connections,
        duration_secs: plan.duration.as_secs_f64(),
        warmup_secs: plan.warmup.as_secs_f64(),
        machine,
        rows: report::rows(outcomes),
        plans: prepared.plans.clone(),
        server_usage,
        cold_start: cold,
        events,
    };
    report::write(&report, &plan.out)?;
    eprintln!("wrote {}", plan.out.join("report.md").display());
    if !clean {
        eprintln!("warning: some requests failed; see the report");
    }
    Ok(clean || !plan.smoke)
}

/// Long enough to see the token cache (10 s) expire under load, except in a smoke run.
fn cold_duration(plan: &Plan) -> Duration {
    if plan.smoke {
        plan.duration
    } else {
        plan.duration.max(Duration::from_secs(12))
    }
}

async fn measure(
    plan: &Plan,
    server: &server::Server,
    prepared: &Prepared,
) -> anyhow::Result<(Vec<Outcome>, Option<events::Events>)> {
    let origin = server.origin.as_str();
    let client = load::client(plan.connections)?;
    let users_url = format!("{origin}/t/{}/scim/v2/Users", tenants::MAIN_SLUG);
    let user = scenarios::target_user(tenants::MAIN_SALT, prepared.users);
    let mut outcomes = vec![runner::run(&client, plan, &scenarios::baseline(origin)).await?];
    stamp_peak_rss(&mut outcomes, server);
    let ctx = writes::Setup {
        scim_url: format!("{origin}/t/{}/scim/v2", tenants::MAIN_SLUG),
        token: prepared.token.clone(),
        salt: tenants::MAIN_SALT,
        users: prepared.users,
        run_id: chrono::Utc::now().format("%Y%m%d%H%M%S%3f").to_string(),
        bulk_creates: if plan.smoke { 100 } else { 1_000 },
    };
    if plan.events_only {
        let (event_outcomes, events) =
            events::measure(&client, plan, origin, &server.admin_key, &ctx.run_id).await?;
        outcomes.extend(event_outcomes);
        stamp_peak_rss(&mut outcomes, server);
        return Ok((outcomes, Some(events)));
    }
    if plan.cached_reads_only {
        outcomes.extend(cached_reads::measure(&client, plan, &ctx).await?);
        stamp_peak_rss(&mut outcomes, server);
        return Ok((outcomes, None));
    }
    if !plan.writes_only {
        for scenario in scenarios::scim(&users_url, &prepared.token, &user, prepared.users)? {
            outcomes.push(runner::run(&client, plan, &scenario).await?);
            stamp_peak_rss(&mut outcomes, server);
        }
        outcomes.extend(runner::run_cursor(&client, plan, &users_url, &prepared.token).await?);
        stamp_peak_rss(&mut outcomes, server);
    }
    let mut writes = if plan.writes_only {
        Vec::new()
    } else {
        writes::group_scenarios(&client, &ctx).await?
    };
    prepare::refresh_statistics(plan).await?;
    writes.extend(writes::user_scenarios(&ctx));
    writes.extend(spread_writes::scenarios(&ctx));
    for scenario in writes {
        if scenario.name == writes::POST_NAME {
            // Right before the creates it is the ceiling of, on the same (idle) database.
            outcomes.push(runner::run_baseline(plan, prepared.baseline_tenant, &ctx.run_id).await?);
        }
        outcomes.push(runner::run(&client, plan, &scenario).await?);
        stamp_peak_rss(&mut outcomes, server);
    }
    outcomes.extend(cached_reads::measure(&client, plan, &ctx).await?);
    stamp_peak_rss(&mut outcomes, server);
    if plan.writes_only {
        return Ok((outcomes, None));
    }
    let (event_outcomes, events) =
        events::measure(&client, plan, origin, &server.admin_key, &ctx.run_id).await?;
    outcomes.extend(event_outcomes);
    stamp_peak_rss(&mut outcomes, server);
    Ok((outcomes, Some(events)))
}

/// Gives the outcomes just measured the server's peak RSS so far.
fn stamp_peak_rss(outcomes: &mut [Outcome], server: &server::Server) {
    let peak = server.usage().peak_rss_kib;
    for outcome in outcomes
        .iter_mut()
        .rev()
        .take_while(|o| o.server_peak_rss_kib.is_none())
    {
        outcome.server_peak_rss_kib = peak;
    }
}
