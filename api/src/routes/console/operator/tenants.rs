//! The operator's tenants page: every tenant with its health at a glance (last SCIM request,
//! requests and error rate over 24 hours, from the request log), a form to create a tenant,
//! and per tenant a button that makes a setup link, shown once on the answer page. Both
//! writes go through the admin use cases (`TenantAdmin`, `SetupLinkAdmin`), audited as the
//! operator's console session.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::TimeDelta;
use maud::{Markup, html};
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::error::DomainError;
use scimgate_domain::request_log::RequestHealth;
use scimgate_domain::tenant::{Tenant, TenantSlug};
use serde::Deserialize;

use super::{OperatorCaller, operator_page};
use crate::extract::scim_caller::origin;
use crate::routes::admin::setup_links::setup_url;
use crate::routes::console::error::ConsoleResult;
use crate::routes::console::forms::parse_form;
use crate::routes::console::layout::copyable;

/// The window of the health columns.
const WINDOW: TimeDelta = TimeDelta::hours(24);

/// Setup-link lifetimes the form offers, in days.
const LINK_DAYS: [(&str, &str); 3] = [("7", "7 days"), ("1", "1 day"), ("30", "30 days")];

#[derive(Deserialize)]
struct CreateForm {
    csrf: Option<String>,
    slug: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct LinkForm {
    csrf: Option<String>,
    expires_in_days: String,
}

fn health_cells(health: &RequestHealth) -> Markup {
    html! {
        td { @match health.last_call {
            Some(at) => time datetime=(at.to_rfc3339()) { (at.format("%Y-%m-%d %H:%M UTC")) },
            None => span class="muted" { "never" },
        } }
        td { (health.total) }
        td class=(if health.error_rate > 0.0 { "status-bad" } else { "" }) {
            @if health.total > 0 { (format!("{:.1} %", health.error_rate * 100.0)) } @else { "–" }
        }
    }
}

async fn render(caller: &OperatorCaller, notice: Option<Markup>) -> ConsoleResult<HttpResponse> {
    let tenants: Vec<Tenant> = caller.state.tenants.list(&caller.admin()).await?;
    let mut rows = Vec::with_capacity(tenants.len());
    for tenant in tenants {
        let (_, health) = caller
            .state
            .request_log
            .with_health(tenant.id, WINDOW)
            .await?;
        rows.push((tenant, health));
    }
    let csrf = caller.csrf_token();
    let body = operator_page(
        caller,
        "Tenants",
        html! {
            h1 { "Tenants" }
            @if let Some(notice) = notice { (notice) }
            @if rows.is_empty() {
                p class="empty" { "No tenants yet. Create the first one below." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Tenants" {
                    table {
                        thead { tr {
                            th scope="col" { "Tenant" }
                            th scope="col" { "Last SCIM request" }
                            th scope="col" { "Requests (24 h)" }
                            th scope="col" { "Errors (24 h)" }
                            th scope="col" { span class="muted" { "Setup link" } }
                        } }
                        tbody {
                            @for (tenant, health) in &rows {
                                tr {
                                    td { strong { (tenant.name) } br; code { (tenant.slug) } }
                                    (health_cells(health))
                                    td {
                                        form method="post" action={ "/console/operator/tenants/" (tenant.slug) "/setup-links" } class="inline" {
                                            input type="hidden" name="csrf" value=(csrf);
                                            label for={ "days-" (tenant.slug) } class="muted" { "Valid for " }
                                            select id={ "days-" (tenant.slug) } name="expires_in_days" {
                                                @for (value, label) in LINK_DAYS { option value=(value) { (label) } }
                                            }
                                            " "
                                            button type="submit" aria-label={ "Make link for " (tenant.slug) } { "Make link" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Create a tenant" }
            form method="post" action="/console/operator/tenants" {
                input type="hidden" name="csrf" value=(csrf);
                div class="field" {
                    label for="tenant-slug" { "Slug (in URLs: lowercase letters, digits, hyphens)" }
                    input id="tenant-slug" name="slug" type="text" required maxlength="63" pattern="[a-z0-9][a-z0-9-]*" autocomplete="off";
                }
                div class="field" {
                    label for="tenant-name" { "Display name (optional)" }
                    input id="tenant-name" name="name" type="text" maxlength="100";
                }
                button type="submit" { "Create tenant" }
            }
        },
    );
    Ok(body)
}

pub async fn list(caller: OperatorCaller) -> ConsoleResult<HttpResponse> {
    render(&caller, None).await
}

pub async fn create(
    req: HttpRequest,
    caller: OperatorCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: CreateForm = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    let slug = TenantSlug::parse(form.slug.trim())?;
    let name = match form.name.trim() {
        "" => None,
        name => Some(AdminName::parse(name.to_owned())?),
    };
    let tenant = caller
        .state
        .tenants
        .create(&caller.admin(), slug, name)
        .await?;
    let notice = html! {
        div class="notice ok" role="status" {
            p { strong { "Tenant " (tenant.slug) " created." } " Make a setup link for its IT admin below." }
        }
    };
    render(&caller, Some(notice)).await
}

pub async fn link(
    req: HttpRequest,
    caller: OperatorCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: LinkForm = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    let days: i64 = LINK_DAYS
        .iter()
        .find(|(value, _)| *value == form.expires_in_days)
        .and_then(|(value, _)| value.parse().ok())
        .ok_or_else(|| DomainError::InvalidValue("pick a lifetime from the list".into()))?;
    let raw = req.match_info().get("slug").unwrap_or_default();
    let slug =
        TenantSlug::parse(raw).map_err(|_| DomainError::NotFound(format!("no tenant '{raw}'")))?;
    let expires_at = caller.state.console.now() + TimeDelta::days(days);
    let issued = caller
        .state
        .setup_links
        .issue(&caller.admin(), &slug, Some(expires_at))
        .await?;
    let url = setup_url(
        &origin(&req, caller.state.public_url.as_deref()),
        &issued.code,
    );
    let notice = html! {
        div class="notice ok" role="status" {
            p { strong { "Setup link for " (slug) " made." } " Send it to the tenant's IT admin. It works once, until " (issued.link.expires_at.format("%Y-%m-%d %H:%M UTC")) ", and is not shown again." }
            (copyable("new-link", "Setup link", &url))
        }
    };
    render(&caller, Some(notice)).await
}
