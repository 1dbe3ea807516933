//! Sharing the console with colleagues: a signed-in admin makes a setup link for the same
//! tenant (shown once), sees the tenant's links and revokes unused ones. The same
//! `SetupLinkAdmin` use cases as the admin API, audited with the session's actor.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::error::ConsoleResult;
use super::forms::check_csrf_form;
use super::layout::{copyable, tenant_page};
use super::session::ConsoleCaller;
use crate::extract::scim_caller::origin;
use crate::routes::admin::setup_links::setup_url;

async fn render(caller: &ConsoleCaller, notice: Option<Markup>) -> ConsoleResult<HttpResponse> {
    let links = &caller.state.setup_links;
    let listed = links.list(&caller.admin()?, caller.slug()).await?;
    let csrf = caller.csrf_token();
    let slug = caller.slug().as_str().to_owned();
    Ok(tenant_page(
        caller,
        "Share access",
        html! {
            h1 { "Share access" }
            p { "A setup link opens this console for your organisation once, for up to 7 days. Send it to a colleague who should connect or check the IdP." }
            @if let Some(notice) = notice { (notice) }
            form method="post" action={ "/console/t/" (slug) "/access" } {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "Create a setup link" }
            }
            h2 { "Setup links" }
            @if listed.is_empty() {
                p class="empty" { "No setup links yet." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Setup links" {
                    table {
                        thead { tr { th scope="col" { "Created" } th scope="col" { "By" } th scope="col" { "Expires" } th scope="col" { "Status" } th scope="col" { span class="muted" { "Action" } } } }
                        tbody {
                            @for link in &listed {
                                @let status = links.status(link).as_str();
                                tr {
                                    td { (link.created.format("%Y-%m-%d %H:%M UTC")) }
                                    td { code { (link.created_by) } }
                                    td { (link.expires_at.format("%Y-%m-%d %H:%M UTC")) }
                                    td { (status) }
                                    td {
                                        @if status == "active" {
                                            form method="post" action={ "/console/t/" (slug) "/access/" (link.id) "/revoke" } class="inline" {
                                                input type="hidden" name="csrf" value=(csrf);
                                                button type="submit" class="danger" { "Revoke" }
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
    ))
}

pub async fn list(caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    render(&caller, None).await
}

pub async fn create(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    check_csrf_form(&req, &caller, &body)?;
    let issued = caller
        .state
        .setup_links
        .issue(&caller.admin()?, caller.slug(), None)
        .await?;
    let url = setup_url(
        &origin(&req, caller.state.public_url.as_deref()),
        &issued.code,
    );
    let notice = html! {
        div class="notice ok" role="status" {
            p { strong { "Setup link created." } " Copy it now: it is not shown again, and it works once." }
            (copyable("new-link", "Setup link", &url))
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
    let id = req.match_info().get("id").unwrap_or_default();
    caller
        .state
        .setup_links
        .revoke(&caller.admin()?, caller.slug(), id)
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/console/t/{}/access", caller.slug())))
        .finish())
}
