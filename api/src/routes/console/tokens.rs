//! The tenant's bearer tokens in the console: list, create and rotate (the new value is shown
//! on the answer page only, never again; a rotated token works on for the grace period picked)
//! and revoke. All writes go through the same `TokenAdmin` use cases
//! as the admin API, so audit and cache invalidation are the same; the audit actor is the
//! console session.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, TimeDelta, Utc};
use maud::{Markup, html};
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::error::DomainError;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::token::{TokenId, TokenRecord};
use serde::Deserialize;

use super::error::ConsoleResult;
use super::forms::{check_csrf_form, parse_form};
use super::layout::{copyable, tenant_page};
use super::session::ConsoleCaller;

/// The lifetimes the form offers, in days; empty means no expiry.
const LIFETIMES: [(&str, &str); 4] = [
    ("", "Never"),
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "1 year"),
];

/// How long a rotated token may keep working, in seconds, as the rotate form offers.
const GRACE: [(&str, &str); 4] = [
    ("3600", "1 hour"),
    ("86400", "1 day"),
    ("604800", "7 days"),
    ("0", "no time (stop now)"),
];

#[derive(Deserialize)]
struct RotateForm {
    csrf: Option<String>,
    grace_seconds: String,
}

#[derive(Deserialize)]
struct CreateForm {
    csrf: Option<String>,
    name: String,
    #[serde(default)]
    expires_in_days: String,
}

fn status(record: &TokenRecord, now: DateTime<Utc>) -> &'static str {
    if record.revoked_at.is_some() {
        "revoked"
    } else if record.expires_at.is_some_and(|at| at <= now) {
        "expired"
    } else {
        "active"
    }
}

fn date(at: DateTime<Utc>) -> Markup {
    html! { time datetime=(at.to_rfc3339()) { (at.format("%Y-%m-%d %H:%M UTC")) } }
}

/// The page: an optional notice (the new token), the list, and the create form.
async fn render(caller: &ConsoleCaller, notice: Option<Markup>) -> ConsoleResult<HttpResponse> {
    let tokens = caller
        .state
        .tokens
        .list(&caller.admin()?, caller.slug())
        .await?;
    let now = caller.state.console.now();
    let csrf = caller.csrf_token();
    let tenant = &caller.active.tenant;
    let slug = tenant.slug.as_str();
    let body = tenant_page(
        caller,
        "Tokens",
        html! {
            h1 { "Tokens" }
            p { "Your IdP sends one of these tokens as " code { "Authorization: Bearer <token>" } " with every SCIM request. Give each IdP connection its own token, so you can revoke one without stopping the others." }
            @if let Some(notice) = notice { (notice) }
            h2 { "Create a token" }
            form method="post" action={ "/console/t/" (slug) "/tokens" } {
                input type="hidden" name="csrf" value=(csrf);
                div class="field" {
                    label for="token-name" { "Name" }
                    input id="token-name" name="name" type="text" required maxlength="100" placeholder="Okta production";
                }
                div class="field" {
                    label for="token-expiry" { "Expires" }
                    select id="token-expiry" name="expires_in_days" {
                        @for (value, label) in LIFETIMES { option value=(value) { (label) } }
                    }
                }
                button type="submit" { "Create token" }
            }
            h2 { "Existing tokens" }
            @if tokens.is_empty() {
                p class="empty" { "No tokens yet. Create one above and paste it into your IdP." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Existing tokens" {
                    table {
                        thead { tr { th scope="col" { "Name" } th scope="col" { "Id" } th scope="col" { "Created" } th scope="col" { "Expires" } th scope="col" { "Status" } th scope="col" { span class="muted" { "Action" } } } }
                        tbody {
                            @for token in &tokens {
                                @let state = status(token, now);
                                tr {
                                    td { (token.name) }
                                    td { code { (token.id) } }
                                    td { (date(token.created)) }
                                    td { @match token.expires_at { Some(at) => (date(at)), None => "never" } }
                                    td { (state) }
                                    td {
                                        @if state == "active" {
                                            form method="post" action={ "/console/t/" (slug) "/tokens/" (token.id) "/rotate" } class="inline" {
                                                input type="hidden" name="csrf" value=(csrf);
                                                label for={ "grace-" (token.id) } class="muted" { "Old token works for " }
                                                select id={ "grace-" (token.id) } name="grace_seconds" {
                                                    @for (value, label) in GRACE { option value=(value) { (label) } }
                                                }
                                                " "
                                                button type="submit" aria-label={ "Rotate token " (token.name) } { "Rotate" }
                                            }
                                            " "
                                            form method="post" action={ "/console/t/" (slug) "/tokens/" (token.id) "/revoke" } class="inline" {
                                                input type="hidden" name="csrf" value=(csrf);
                                                button type="submit" class="danger" aria-label={ "Revoke token " (token.name) } { "Revoke" }
                                            }
                                        }
                                    }
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

pub async fn list(caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    render(&caller, None).await
}

pub async fn create(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: CreateForm = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    let expires_at = match form.expires_in_days.trim() {
        "" => None,
        days => {
            let days: i64 = days
                .parse()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| DomainError::InvalidValue("pick an expiry from the list".into()))?;
            Some(caller.state.console.now() + TimeDelta::days(days))
        }
    };
    let request = TokenRequest {
        name: AdminName::parse(form.name.trim().to_owned())?,
        expires_at,
        ..Default::default()
    };
    let issued = caller
        .state
        .tokens
        .issue(&caller.admin()?, caller.slug(), request)
        .await?;
    let notice = html! {
        div class="notice ok" role="status" {
            p { strong { "Token " (issued.record.name) " created." } " Copy it now: it is not shown again." }
            (copyable("new-token", "Bearer token", &issued.token))
        }
    };
    render(&caller, Some(notice)).await
}

/// The token named in the path, as this tenant's (another tenant's is absent: 404).
fn path_token(req: &HttpRequest) -> ConsoleResult<TokenId> {
    let raw = req.match_info().get("id").unwrap_or_default();
    Ok(TokenId::parse(raw)
        .map_err(|_| DomainError::NotFound(format!("no token with id '{raw}'")))?)
}

pub async fn rotate(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: RotateForm = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    let grace = GRACE
        .iter()
        .find(|(value, _)| *value == form.grace_seconds)
        .and_then(|(value, _)| value.parse().ok())
        .map(TimeDelta::seconds)
        .ok_or_else(|| DomainError::InvalidValue("pick a grace period from the list".into()))?;
    let id = path_token(&req)?;
    let rotated = caller
        .state
        .tokens
        .rotate(&caller.admin()?, &id, grace)
        .await?;
    let notice = html! {
        div class="notice ok" role="status" {
            p { strong { "Token " (rotated.new.record.name) " rotated." } " Copy the new token now: it is not shown again. The old one works until " (date(rotated.old_expires_at)) "." }
            (copyable("new-token", "New bearer token", &rotated.new.token))
        }
    };
    render(&caller, Some(notice)).await
}

pub async fn revoke(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    check_csrf_form(&req, &caller, &body)?;
    let id = path_token(&req)?;
    caller.state.tokens.revoke(&caller.admin()?, &id).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/console/t/{}/tokens", caller.slug())))
        .finish())
}
