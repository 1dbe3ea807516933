//! The tenant's audit log in the console, newest first, a page at a time (`?cursor=` from
//! the "Older" link). Ids and outcomes only, as the log holds nothing else.

use actix_web::{HttpRequest, HttpResponse};
use maud::html;
use scimgate_domain::service::audit::AuditPageRequest;
use serde::Deserialize;

use super::error::ConsoleResult;
use super::layout::tenant_page;
use super::session::ConsoleCaller;

const PAGE: u64 = 50;

#[derive(Deserialize, Default)]
struct Paging {
    cursor: Option<String>,
}

pub async fn page(req: HttpRequest, caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let paging: Paging = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let request = AuditPageRequest {
        cursor: paging.cursor,
        limit: Some(PAGE),
        ..Default::default()
    };
    let log = caller
        .state
        .tenants
        .audit_log(&caller.admin()?, caller.slug(), &request)
        .await?;
    let slug = caller.slug().as_str().to_owned();
    let body = tenant_page(
        &caller,
        "Audit log",
        html! {
            h1 { "Audit log" }
            p { "Every change your IdP made and every administrative action, newest first. Actors: a token or OAuth client id, " code { "operator" } ", " code { "setup-link:…" } " (a console sign-in) or " code { "console:…" } " (a console session)." }
            @if log.entries.is_empty() {
                p class="empty" { "Nothing recorded yet." }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label="Audit log" {
                    table {
                        thead { tr { th scope="col" { "Time (UTC)" } th scope="col" { "Actor" } th scope="col" { "Action" } th scope="col" { "Target" } th scope="col" { "Status" } } }
                        tbody {
                            @for entry in &log.entries {
                                tr {
                                    td { time datetime=(entry.at.to_rfc3339()) { (entry.at.format("%Y-%m-%d %H:%M:%S")) } }
                                    td { code { (entry.actor) } }
                                    td { code { (entry.action) } }
                                    td { (entry.target_type.as_deref().unwrap_or("")) " " code { (entry.target_id.as_deref().unwrap_or("")) } }
                                    td { (entry.status) @if let Some(t) = &entry.scim_type { " " (t) } }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(cursor) = &log.next_cursor {
                p { a href={ "/console/t/" (slug) "/audit?cursor=" (cursor) } rel="next" { "Older entries" } }
            }
        },
    );
    Ok(body)
}
