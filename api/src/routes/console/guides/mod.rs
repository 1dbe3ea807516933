//! Step-by-step guides for connecting an IdP to this tenant, with its own values filled in:
//! the SCIM base URL, where the token goes, the attribute mappings scimgate expects and how
//! to test. Menu names follow each IdP's admin console as documented; they change over
//! time, the values do not.

mod entra;
mod google;
mod jumpcloud;
mod okta;
mod onelogin;
mod ping;

use actix_web::{HttpRequest, HttpResponse};
use maud::{Markup, html};
use scimgate_domain::error::DomainError;

use super::error::ConsoleResult;
use super::layout::{copyable, tenant_page};
use super::overview::scim_base;
use super::session::ConsoleCaller;

/// What a guide fills in.
pub struct GuideValues<'a> {
    pub base_url: &'a str,
    /// The console's tokens page.
    pub tokens_url: &'a str,
    pub overview_url: &'a str,
}

pub struct Guide {
    pub slug: &'static str,
    pub name: &'static str,
    render: fn(&GuideValues<'_>) -> Markup,
}

pub const GUIDES: [Guide; 6] = [
    Guide {
        slug: "okta",
        name: "Okta",
        render: okta::steps,
    },
    Guide {
        slug: "entra-id",
        name: "Microsoft Entra ID",
        render: entra::steps,
    },
    Guide {
        slug: "google-workspace",
        name: "Google Workspace",
        render: google::steps,
    },
    Guide {
        slug: "onelogin",
        name: "OneLogin",
        render: onelogin::steps,
    },
    Guide {
        slug: "jumpcloud",
        name: "JumpCloud",
        render: jumpcloud::steps,
    },
    Guide {
        slug: "ping",
        name: "Ping Identity (PingOne)",
        render: ping::steps,
    },
];

/// The base URL and the token step, as every guide starts.
pub(super) fn values_box(values: &GuideValues<'_>) -> Markup {
    html! {
        (copyable("guide-base", "SCIM base URL (also called tenant URL or connector base URL)", values.base_url))
        p { "Token: " a href=(values.tokens_url) { "create one on the Tokens page" } " and paste it where the steps say. scimgate expects it as " code { "Authorization: Bearer <token>" } "." }
    }
}

/// What scimgate reads from the IdP: the same for every IdP.
pub(super) fn mappings() -> Markup {
    html! {
        h2 { "Attributes scimgate expects" }
        div class="table-wrap" role="region" tabindex="0" aria-label="Attributes scimgate expects" {
            table {
                thead { tr { th scope="col" { "SCIM attribute" } th scope="col" { "Usually mapped from" } th scope="col" { "Notes" } } }
                tbody {
                    tr { td { code { "userName" } } td { "the sign-in name or email" } td { "Required; unique in your organisation, case-insensitively (a clash answers 409)." } }
                    tr { td { code { "externalId" } } td { "the IdP's own user id" } td { "Optional; lets your IdP find users it created." } }
                    tr { td { code { "active" } } td { "account status" } td { "Deactivation sends " code { "false" } "; the user stays, marked inactive." } }
                    tr { td { code { "name.givenName" } ", " code { "name.familyName" } ", " code { "displayName" } } td { "first, last and display name" } td { "Optional." } }
                    tr { td { code { "emails[type eq \"work\"].value" } } td { "email" } td { "Optional; any number of emails." } }
                    tr { td { code { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" } } td { "employee number, department, manager, ..." } td { "Optional; " code { "manager" } " must name a user already provisioned." } }
                    tr { td { "Group " code { "displayName" } ", " code { "members" } } td { "group name and membership" } td { "Members must be users or groups provisioned here." } }
                }
            }
        }
    }
}

/// How to tell the connection works, common to every IdP.
pub(super) fn testing(values: &GuideValues<'_>) -> Markup {
    html! {
        h2 { "Test it" }
        ol class="steps" {
            li { "The IdP's connection test reads " code { (values.base_url) "/Users" } " with a filter; scimgate answers with an empty list while nobody is provisioned. A 401 means the token is wrong, revoked or expired." }
            li { "Assign one test user to the application and start provisioning (or provision that user on demand)." }
            li { "Open the " a href=(values.overview_url) { "overview" } ": the user count goes up and the last change shows " code { "user.create" } "." }
        }
    }
}

pub async fn index(caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let tenant = &caller.active.tenant;
    let slug = tenant.slug.as_str();
    let body = tenant_page(
        &caller,
        "IdP guides",
        html! {
            h1 { "Connect your identity provider" }
            p { "Pick your IdP. Each guide has your organisation's values filled in." }
            ul {
                @for guide in GUIDES {
                    li { a href={ "/console/t/" (slug) "/guides/" (guide.slug) } { (guide.name) } }
                }
            }
            p { "Another IdP? Any SCIM 2.0 client works: give it the base URL and a bearer token from this console." }
        },
    );
    Ok(body)
}

pub async fn guide(req: HttpRequest, caller: ConsoleCaller) -> ConsoleResult<HttpResponse> {
    let wanted = req.match_info().get("idp").unwrap_or_default();
    let guide = GUIDES
        .iter()
        .find(|g| g.slug == wanted)
        .ok_or_else(|| DomainError::NotFound(format!("no guide for '{wanted}'")))?;
    let base = scim_base(&req, &caller);
    let tenant = &caller.active.tenant;
    let slug = tenant.slug.as_str();
    let tokens_url = format!("/console/t/{slug}/tokens");
    let overview_url = format!("/console/t/{slug}");
    let values = GuideValues {
        base_url: &base,
        tokens_url: &tokens_url,
        overview_url: &overview_url,
    };
    let body = tenant_page(
        &caller,
        guide.name,
        html! {
            h1 { "Connect " (guide.name) }
            (values_box(&values))
            ((guide.render)(&values))
            (mappings())
            (testing(&values))
        },
    );
    Ok(body)
}
