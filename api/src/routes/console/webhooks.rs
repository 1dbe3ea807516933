//! The tenant's webhook endpoints in the console: the list, and per endpoint its recent
//! deliveries (attempt, status, latency, error, outcome), pause/resume and the replay of one
//! event. Every action goes through `WebhookAdmin`, as the admin API does, so it is checked
//! and audited the same way, with the console session as the actor. Endpoints are registered
//! through the admin API (their signing secret belongs in the receiver's configuration).

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use scimgate_domain::error::DomainError;
use scimgate_domain::webhook::delivery::{DeliveryAttempt, ReplayRange};
use scimgate_domain::webhook::request::WebhookChange;
use scimgate_domain::webhook::{Webhook, WebhookStatus};
use serde::Deserialize;
use uuid::Uuid;

use super::error::ConsoleResult;
use super::forms::parse_form;
use super::layout::tenant_page;
use super::session::ConsoleCaller;

/// Delivery attempts an endpoint's page shows, newest first.
const ATTEMPTS: u64 = 50;

#[derive(Deserialize)]
struct StatusForm {
    csrf: Option<String>,
    status: String,
}

#[derive(Deserialize)]
struct ReplayForm {
    csrf: Option<String>,
    sequence: String,
}

fn events(webhook: &Webhook) -> String {
    if webhook.events.is_empty() {
        "all events".into()
    } else {
        webhook.events.join(", ")
    }
}

pub async fn list(caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let hooks = caller
        .state
        .webhooks
        .list(&caller.admin()?, caller.slug())
        .await?;
    let slug = caller.slug().as_str().to_owned();
    let body = tenant_page(
        &caller,
        "Webhooks",
        html! {
            h1 { "Webhooks" }
            p { "Endpoints that receive this tenant's change events (a user or group created, updated, deleted). Open one to see its deliveries, pause or resume it, or send an event again." }
            @if hooks.is_empty() {
                p class="empty" { "No webhook endpoints yet. They are registered through the admin API: " code { "POST /t/" (slug) "/admin/v1/webhooks" } " (the answer carries the signing secret, once)." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Webhook endpoints" {
                    table {
                        thead { tr { th scope="col" { "Endpoint" } th scope="col" { "Events" } th scope="col" { "Format" } th scope="col" { "Status" } } }
                        tbody {
                            @for hook in &hooks {
                                tr {
                                    td { a href={ "/console/t/" (slug) "/webhooks/" (hook.id) } { (hook.url) } }
                                    td { (events(hook)) }
                                    td { (hook.format.as_str()) }
                                    td { (hook.status.as_str()) }
                                }
                            }
                        }
                    }
                }
            }
        },
    );
    Ok(body)
}

fn path_id(req: &HttpRequest) -> ConsoleResult<Uuid> {
    let raw = req.match_info().get("id").unwrap_or_default();
    Ok(Uuid::try_parse(raw)
        .map_err(|_| DomainError::NotFound(format!("no webhook with id '{raw}'")))?)
}

fn attempt_row(slug: &str, hook: Uuid, csrf: &str, attempt: &DeliveryAttempt) -> Markup {
    html! {
        tr {
            td { time datetime=(attempt.at.to_rfc3339()) { (attempt.at.format("%Y-%m-%d %H:%M:%S")) } }
            td { (attempt.sequence) }
            td { (attempt.attempt) }
            td { @match attempt.status { Some(status) => (status), None => "no answer" } }
            td { (attempt.latency_ms) " ms" }
            td { (attempt.error.as_deref().unwrap_or("")) }
            td { (attempt.outcome) }
            td {
                form method="post" action={ "/console/t/" (slug) "/webhooks/" (hook) "/replay" } class="inline" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="sequence" value=(attempt.sequence);
                    button type="submit" aria-label={ "Send event " (attempt.sequence) " again" } { "Replay" }
                }
            }
        }
    }
}

/// An endpoint's page, with an optional notice (a replay's outcome).
async fn render(
    caller: &ConsoleCaller,
    id: Uuid,
    notice: Option<Markup>,
) -> ConsoleResult<HttpResponse> {
    let admin = caller.admin()?;
    let hooks = &caller.state.webhooks;
    let hook = hooks.get(&admin, caller.slug(), id).await?;
    let attempts = hooks
        .deliveries(&admin, caller.slug(), id, ATTEMPTS)
        .await?;
    let csrf = caller.csrf_token();
    let slug = caller.slug().as_str().to_owned();
    let action = |what: &str| format!("/console/t/{slug}/webhooks/{id}/{what}");
    let body = tenant_page(
        caller,
        "Webhook",
        html! {
            p { a href={ "/console/t/" (slug) "/webhooks" } { "← All webhooks" } }
            h1 { "Webhook " code { (hook.url) } }
            @if let Some(notice) = notice { (notice) }
            dl {
                dt { "Events" } dd { (events(&hook)) }
                dt { "Format" } dd { (hook.format.as_str()) }
                dt { "Status" } dd { (hook.status.as_str()) @if let Some(reason) = &hook.disabled_reason { " (" (reason) ")" } }
            }
            form method="post" action=(action("status")) {
                input type="hidden" name="csrf" value=(csrf);
                @if hook.status == WebhookStatus::Active {
                    input type="hidden" name="status" value="paused";
                    button type="submit" { "Pause deliveries" }
                } @else {
                    input type="hidden" name="status" value="active";
                    button type="submit" { "Resume deliveries" }
                }
            }
            h2 { "Send an event again" }
            form method="post" action=(action("replay")) {
                input type="hidden" name="csrf" value=(csrf);
                div class="field" {
                    label for="replay-sequence" { "Event sequence number" }
                    input id="replay-sequence" name="sequence" type="number" min="1" required inputmode="numeric";
                }
                button type="submit" { "Replay" }
            }
            h2 { "Recent deliveries" }
            @if attempts.is_empty() {
                p class="empty" { "No delivery attempted yet. One is made for each event after the endpoint was registered." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Recent deliveries" {
                    table {
                        thead { tr {
                            th scope="col" { "Time (UTC)" }
                            th scope="col" { "Event" }
                            th scope="col" { "Attempt" }
                            th scope="col" { "Status" }
                            th scope="col" { "Latency" }
                            th scope="col" { "Error" }
                            th scope="col" { "Outcome" }
                            th scope="col" { span class="muted" { "Action" } }
                        } }
                        tbody { @for attempt in &attempts { (attempt_row(&slug, id, &csrf, attempt)) } }
                    }
                }
            }
        },
    );
    Ok(body)
}

pub async fn detail(req: HttpRequest, caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let id = path_id(&req)?;
    render(&caller, id, None).await
}

/// Pauses or resumes the endpoint, then back to its page.
pub async fn set_status(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: StatusForm = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    let id = path_id(&req)?;
    let status = match form.status.as_str() {
        "active" => WebhookStatus::Active,
        "paused" => WebhookStatus::Paused,
        _ => {
            return Err(DomainError::InvalidValue("status: active or paused".into()).into());
        }
    };
    let change = WebhookChange {
        status: Some(status),
        ..Default::default()
    };
    caller
        .state
        .webhooks
        .update(&caller.admin()?, caller.slug(), id, change)
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            LOCATION,
            format!("/console/t/{}/webhooks/{id}", caller.slug()),
        ))
        .finish())
}

/// Queues one past event again for the endpoint.
pub async fn replay(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: ReplayForm = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    let id = path_id(&req)?;
    let sequence: i64 = form
        .sequence
        .trim()
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            DomainError::InvalidValue("the sequence number is a whole number from 1".into())
        })?;
    let queued = caller
        .state
        .webhooks
        .replay(
            &caller.admin()?,
            caller.slug(),
            id,
            ReplayRange::Sequence(sequence),
        )
        .await?;
    let notice = html! {
        @if queued == 0 {
            div class="notice warn" role="status" { p { "No event " (sequence) " to send: it is not kept (or not of this tenant)." } }
        } @else {
            div class="notice ok" role="status" { p { "Event " (sequence) " is queued for this endpoint again." } }
        }
    };
    render(&caller, id, Some(notice)).await
}
