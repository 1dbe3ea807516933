//! Connection health and the request log: when the IdP last called, how its requests of the
//! last 24 hours went (by status class, error rate, latency percentiles) and the newest
//! requests themselves: time, method, path pattern, status, `scimType`, latency and the token
//! or client that called. The log holds no bodies, query strings or attribute values.

use std::time::Duration;

use actix_web::HttpResponse;
use chrono::TimeDelta;
use maud::{Markup, html};
use scimgate_domain::request_log::{RequestHealth, RequestRecord};

use super::error::ConsoleResult;
use super::layout::tenant_page;
use super::session::ConsoleCaller;

/// The window health is summed up over.
const WINDOW: TimeDelta = TimeDelta::hours(24);

/// The tenant's health over the window, from the kept log.
pub async fn health(caller: &ConsoleCaller) -> ConsoleResult<RequestHealth> {
    let log = &caller.state.request_log;
    let (_, health) = log.with_health(caller.active.tenant.id, WINDOW).await?;
    Ok(health)
}

fn millis(latency: Duration) -> String {
    format!("{:.1} ms", latency.as_secs_f64() * 1000.0)
}

/// The health summary the overview and the requests page show.
pub fn health_summary(health: &RequestHealth) -> Markup {
    html! {
        @match health.last_call {
            None => p class="empty" { "Your IdP has not called yet. Once it sends its first SCIM request with a token of this tenant, its requests show here." },
            Some(at) => {
                p { "Last request from a provisioning client: " time datetime=(at.to_rfc3339()) { (at.format("%Y-%m-%d %H:%M:%S UTC")) } "." }
                @if health.total == 0 {
                    p { "No request in the last 24 hours." }
                } @else {
                    ul class="stats" {
                        li { strong { (health.total) } "requests (24 h)" }
                        li { strong { (health.classes.success) } "succeeded (2xx)" }
                        li { strong { (health.classes.client_error) } "refused (4xx)" }
                        li { strong { (health.classes.server_error) } "failed (5xx)" }
                        li { strong { (format!("{:.1} %", health.error_rate * 100.0)) } "error rate" }
                        @if let (Some(p50), Some(p95)) = (health.p50, health.p95) {
                            li { strong { (millis(p50)) } "median latency" }
                            li { strong { (millis(p95)) } "95th percentile" }
                        }
                    }
                }
            }
        }
    }
}

/// The path after the SCIM base URL (`/Users/{id}`), as a pattern: never what was typed.
fn scim_path(route: &str) -> &str {
    route.split_once("/scim/v2").map_or(route, |(_, rest)| rest)
}

fn row(record: &RequestRecord) -> Markup {
    html! {
        tr {
            td { time datetime=(record.at.to_rfc3339()) { (record.at.format("%Y-%m-%d %H:%M:%S")) } }
            td { (record.method) }
            td { code { (scim_path(&record.route)) } }
            td class=(if record.status >= 400 { "status-bad" } else { "status-ok" }) { (record.status) }
            td { @if let Some(scim_type) = &record.scim_type { code { (scim_type) } } }
            td { (millis(record.latency)) }
            td { code { (record.caller) } }
        }
    }
}

pub async fn page(caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let log = &caller.state.request_log;
    let (records, health) = log.with_health(caller.active.tenant.id, WINDOW).await?;
    let keep = log.limits().keep;
    let body = tenant_page(
        &caller,
        "Requests",
        html! {
            h1 { "Requests" }
            p { "The last " (keep) " SCIM requests made with this tenant's tokens, newest first. Paths are shown as patterns after the SCIM base URL; no query string, body or attribute value is kept." }
            h2 { "Health" }
            (health_summary(&health))
            h2 { "Log" }
            @if records.is_empty() {
                p class="empty" { "No request recorded yet." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Request log" {
                    table {
                        thead { tr {
                            th scope="col" { "Time (UTC)" }
                            th scope="col" { "Method" }
                            th scope="col" { "Path" }
                            th scope="col" { "Status" }
                            th scope="col" { "scimType" }
                            th scope="col" { "Latency" }
                            th scope="col" { "Caller" }
                        } }
                        tbody { @for record in &records { (row(record)) } }
                    }
                }
            }
        },
    );
    Ok(body)
}
