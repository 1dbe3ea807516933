//! The tenant overview: the SCIM base URL to paste into the IdP, how many users and groups
//! the IdP has provisioned, the last change it made (from the audit log), how its recent
//! requests went (`requests.rs`), and where to go next.

use actix_web::{HttpRequest, HttpResponse};
use maud::html;
use scimgate_domain::audit::AuditEntry;
use scimgate_domain::context::RequestContext;
use scimgate_domain::query::list::ListParams;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::service::audit::AuditPageRequest;

use super::error::ConsoleResult;
use super::guides::GUIDES;
use super::layout::{copyable, tenant_page};
use super::session::ConsoleCaller;
use crate::extract::scim_caller::origin;

/// How far back the overview looks for the IdP's last change.
const RECENT_ENTRIES: u64 = 50;

/// `{origin}/t/{slug}/scim/v2`, the tenant's SCIM base URL.
pub fn scim_base(req: &HttpRequest, caller: &ConsoleCaller) -> String {
    let origin = origin(req, caller.state.public_url.as_deref());
    format!("{origin}/t/{}/scim/v2", caller.slug())
}

async fn count(caller: &ConsoleCaller, base_url: &str, kind: ResourceKind) -> ConsoleResult<u64> {
    let ctx = RequestContext {
        principal: caller.state.console.principal(&caller.active),
        base_url: base_url.to_owned(),
        request_id: caller.request_id.clone(),
    };
    let params = ListParams {
        count: Some("0".into()),
        ..Default::default()
    };
    let list = caller.state.resources.list(&ctx, kind, &params).await?;
    Ok(list.total_results)
}

/// The newest SCIM write among the recent audit entries (console and admin actions aside).
async fn last_provisioning(caller: &ConsoleCaller) -> ConsoleResult<Option<AuditEntry>> {
    let request = AuditPageRequest {
        limit: Some(RECENT_ENTRIES),
        ..Default::default()
    };
    let page = caller
        .state
        .tenants
        .audit_log(&caller.admin()?, caller.slug(), &request)
        .await?;
    Ok(page.entries.into_iter().find(|entry| {
        ["user.", "group.", "bulk."]
            .iter()
            .any(|prefix| entry.action.starts_with(prefix))
    }))
}

pub async fn overview(req: HttpRequest, caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let base = scim_base(&req, &caller);
    let users = count(&caller, &base, ResourceKind::User).await?;
    let groups = count(&caller, &base, ResourceKind::Group).await?;
    let last = last_provisioning(&caller).await?;
    let health = super::requests::health(&caller).await?;
    let tenant = &caller.active.tenant;
    let slug = tenant.slug.as_str();
    let body = tenant_page(
        &caller,
        "Overview",
        html! {
            h1 { "SCIM provisioning for " (tenant.name) }
            p { "Your identity provider (IdP) creates, updates and deactivates your people here through SCIM 2.0. It needs two values: the base URL below and a bearer token." }
            (copyable("scim-base", "SCIM base URL", &base))
            h2 { "Provisioned so far" }
            ul class="stats" {
                li { strong { (users) } "users" }
                li { strong { (groups) } "groups" }
            }
            @match &last {
                Some(entry) => p { "Last change by a provisioning client: " code { (entry.action) } " at " time datetime=(entry.at.to_rfc3339()) { (entry.at.format("%Y-%m-%d %H:%M UTC")) } " (status " (entry.status) ")." },
                None => p class="empty" { "No provisioning request has changed anything yet. Once your IdP pushes its first user, it shows here." },
            }
            h2 { "Connection health" }
            (super::requests::health_summary(&health))
            p { a href={ "/console/t/" (slug) "/requests" } { "See the request log" } }
            h2 { "Connect your IdP" }
            ol class="steps" {
                li { a href={ "/console/t/" (slug) "/tokens" } { "Create a token" } " for your IdP (it is shown once)." }
                li { "Follow the guide for your IdP:" }
            }
            ul {
                @for guide in GUIDES {
                    li { a href={ "/console/t/" (slug) "/guides/" (guide.slug) } { (guide.name) } }
                }
            }
        },
    );
    Ok(body)
}
