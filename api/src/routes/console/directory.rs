//! What the IdP provisioned, read only: users searched by userName, email or display name,
//! groups by display name, and one resource's attributes (a user's groups, a group's members).
//! Every read goes through `ResourceService` as the session's principal (read scope, no
//! policy), so it is the tenant's own data and nothing else.

use actix_web::{HttpRequest, HttpResponse};
use maud::{Markup, html};
use scimgate_domain::context::RequestContext;
use scimgate_domain::error::DomainError;
use scimgate_domain::query::list::ListParams;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::service::scim::resources::ViewParams;
use serde::Deserialize;
use serde_json::Value;

use super::error::ConsoleResult;
use super::layout::tenant_page;
use super::overview::scim_base;
use super::session::ConsoleCaller;

/// Rows one search shows; the IdP's own console is the place for more.
const PAGE: &str = "50";
/// Longest search text accepted.
const MAX_QUERY: usize = 256;

#[derive(Deserialize, Default)]
struct Search {
    #[serde(default)]
    q: String,
}

fn context(req: &HttpRequest, caller: &ConsoleCaller) -> RequestContext {
    RequestContext {
        principal: caller.state.console.principal(&caller.active),
        base_url: scim_base(req, caller),
        request_id: caller.request_id.clone(),
    }
}

/// The SCIM filter for a search text: a substring of any of `attributes`.
fn filter(query: &str, attributes: &[&str]) -> ConsoleResult<Option<String>> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(None);
    }
    if query.len() > MAX_QUERY || query.chars().any(char::is_control) {
        return Err(
            DomainError::InvalidValue("the search text is too long or not text".into()).into(),
        );
    }
    // A JSON string is a SCIM filter string literal (RFC 7644 §3.4.2.2), quotes escaped.
    let literal = serde_json::to_string(query).unwrap_or_default();
    let parts: Vec<String> = attributes
        .iter()
        .map(|a| format!("{a} co {literal}"))
        .collect();
    Ok(Some(parts.join(" or ")))
}

fn text<'a>(doc: &'a Value, pointer: &str) -> &'a str {
    doc.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn kind_of(req: &HttpRequest) -> ResourceKind {
    if req.path().contains("/groups") {
        ResourceKind::Group
    } else {
        ResourceKind::User
    }
}

pub async fn list(req: HttpRequest, caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let search: Search = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let kind = kind_of(&req);
    let (attributes, sort, title, path): (&[&str], &str, &str, &str) = match kind {
        ResourceKind::User => (
            &["userName", "emails.value", "displayName"],
            "userName",
            "Users",
            "users",
        ),
        ResourceKind::Group => (&["displayName"], "displayName", "Groups", "groups"),
    };
    let params = ListParams {
        filter: filter(&search.q, attributes)?,
        count: Some(PAGE.into()),
        sort_by: Some(sort.into()),
        excluded_attributes: Some(if kind == ResourceKind::Group {
            "members".into()
        } else {
            "groups".into()
        }),
        ..Default::default()
    };
    let found = caller
        .state
        .resources
        .list(&context(&req, &caller), kind, &params)
        .await?;
    let slug = caller.slug().as_str().to_owned();
    let body = tenant_page(
        &caller,
        title,
        html! {
            h1 { (title) }
            form method="get" action={ "/console/t/" (slug) "/" (path) } role="search" {
                div class="field" {
                    label for="q" { @if kind == ResourceKind::User { "Search by userName, email or display name" } @else { "Search by display name" } }
                    input id="q" name="q" type="search" value=(search.q) maxlength="256";
                }
                button type="submit" { "Search" }
            }
            p class="muted" { (found.total_results) " found" @if found.total_results > found.resources.len() as u64 { ", the first " (found.resources.len()) " shown" } "." }
            @if found.resources.is_empty() {
                p class="empty" { @if search.q.trim().is_empty() { "Nothing provisioned yet. Once your IdP pushes " (title.to_lowercase()) ", they show here." } @else { "Nothing matches. Try part of a name or address." } }
            } @else {
                div class="table-wrap" role="region" tabindex="0" aria-label=(title) {
                    table {
                        @if kind == ResourceKind::User {
                            thead { tr { th scope="col" { "userName" } th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Active" } } }
                        } @else {
                            thead { tr { th scope="col" { "displayName" } th scope="col" { "externalId" } } }
                        }
                        tbody {
                            @for doc in &found.resources {
                                @let link = format!("/console/t/{slug}/{path}/{}", text(doc, "/id"));
                                @if kind == ResourceKind::User {
                                    tr {
                                        td { a href=(link) { (text(doc, "/userName")) } }
                                        td { (text(doc, "/displayName")) }
                                        td { (text(doc, "/emails/0/value")) }
                                        td { @if doc.get("active").and_then(Value::as_bool) == Some(false) { "no" } @else { "yes" } }
                                    }
                                } @else {
                                    tr {
                                        td { a href=(link) { (text(doc, "/displayName")) } }
                                        td { (text(doc, "/externalId")) }
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

/// A JSON value as nested definition lists, strings as text (escaped by maud).
fn value(v: &Value) -> Markup {
    match v {
        Value::Object(map) => html! {
            dl { @for (k, v) in map { dt { code { (k) } } dd { (value(v)) } } }
        },
        Value::Array(items) => html! {
            ul { @for item in items { li { (value(item)) } } }
        },
        Value::String(s) => html! { (s) },
        other => html! { (other.to_string()) },
    }
}

pub async fn detail(req: HttpRequest, caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let kind = kind_of(&req);
    let id = req.match_info().get("id").unwrap_or_default().to_owned();
    let ctx = context(&req, &caller);
    // A group's members may be many: the page lists the first users among them instead.
    let shape = ViewParams {
        excluded_attributes: (kind == ResourceKind::Group).then(|| "members".into()),
        ..Default::default()
    };
    let view = caller.state.resources.get(&ctx, kind, &id, &shape).await?;
    let members = match kind {
        ResourceKind::User => None,
        ResourceKind::Group => {
            let literal = serde_json::to_string(&id).unwrap_or_default();
            let params = ListParams {
                filter: Some(format!("groups.value eq {literal}")),
                count: Some(PAGE.into()),
                sort_by: Some("userName".into()),
                attributes: Some("userName".into()),
                ..Default::default()
            };
            Some(
                caller
                    .state
                    .resources
                    .list(&ctx, ResourceKind::User, &params)
                    .await?,
            )
        }
    };
    let slug = caller.slug().as_str().to_owned();
    let name = match kind {
        ResourceKind::User => text(&view.body, "/userName").to_owned(),
        ResourceKind::Group => text(&view.body, "/displayName").to_owned(),
    };
    let body = tenant_page(
        &caller,
        &name,
        html! {
            h1 { (name) }
            p class="muted" { "Read only: your IdP owns these values; change them there." }
            (value(&view.body))
            @if let Some(members) = &members {
                h2 { "Member users" }
                @if members.resources.is_empty() {
                    p class="empty" { "No users are members of this group." }
                } @else {
                    p class="muted" { (members.total_results) " users" @if members.total_results > members.resources.len() as u64 { ", the first " (members.resources.len()) " shown" } "." }
                    ul {
                        @for doc in &members.resources {
                            li { a href={ "/console/t/" (slug) "/users/" (text(doc, "/id")) } { (text(doc, "/userName")) } }
                        }
                    }
                }
            }
        },
    );
    Ok(body)
}
