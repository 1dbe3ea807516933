//! The page shell every console page shares: semantic landmarks, a skip link, the first-party
//! stylesheet and script (no inline code, as the CSP demands), and for a signed-in tenant the
//! navigation and the sign-out form.

use actix_web::HttpResponse;
use actix_web::http::header::CONTENT_TYPE;
use maud::{DOCTYPE, Markup, html};

use super::session::ConsoleCaller;

pub const HTML: &str = "text/html; charset=utf-8";

/// What the navigation of a signed-in page needs.
pub struct Nav<'a> {
    pub slug: &'a str,
    pub tenant_name: &'a str,
    pub csrf: &'a str,
}

pub fn page(title: &str, nav: Option<&Nav<'_>>, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · scimgate console" }
                link rel="stylesheet" href="/console/assets/console.css";
                script src="/console/assets/console.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="top" {
                    @if let Some(nav) = nav {
                        p class="brand" { "scimgate · " (nav.tenant_name) }
                        nav aria-label="Console" {
                            ul {
                                li { a href={ "/console/t/" (nav.slug) } { "Overview" } }
                                li { a href={ "/console/t/" (nav.slug) "/guides" } { "IdP guides" } }
                                li { a href={ "/console/t/" (nav.slug) "/tokens" } { "Tokens" } }
                                li { a href={ "/console/t/" (nav.slug) "/requests" } { "Requests" } }
                                li { a href={ "/console/t/" (nav.slug) "/users" } { "Users" } }
                                li { a href={ "/console/t/" (nav.slug) "/groups" } { "Groups" } }
                                li { a href={ "/console/t/" (nav.slug) "/webhooks" } { "Webhooks" } }
                                li { a href={ "/console/t/" (nav.slug) "/audit" } { "Audit log" } }
                                li { a href={ "/console/t/" (nav.slug) "/access" } { "Share access" } }
                            }
                        }
                        form method="post" action={ "/console/t/" (nav.slug) "/sign-out" } class="inline" {
                            input type="hidden" name="csrf" value=(nav.csrf);
                            button type="submit" class="link" { "Sign out" }
                        }
                    } @else {
                        p class="brand" { "scimgate console" }
                    }
                }
                main id="main" tabindex="-1" { (content) }
            }
        }
    }
}

/// A rendered page as a 200 answer.
pub fn html_page(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, HTML))
        .body(markup.into_string())
}

/// A page of the caller's tenant, with its navigation.
pub fn tenant_page(caller: &ConsoleCaller, title: &str, content: Markup) -> HttpResponse {
    let csrf = caller.csrf_token();
    let tenant = &caller.active.tenant;
    let nav = Nav {
        slug: tenant.slug.as_str(),
        tenant_name: &tenant.name,
        csrf: &csrf,
    };
    html_page(page(title, Some(&nav), content))
}

/// A value the admin copies into the IdP: read-only, selectable, with a copy button that the
/// script enables (without it the value is still selectable by hand).
pub fn copyable(id: &str, label: &str, value: &str) -> Markup {
    html! {
        div class="copy" {
            label for=(id) { (label) }
            div class="copy-row" {
                input id=(id) type="text" readonly value=(value) spellcheck="false" autocomplete="off";
                button type="button" class="copy-button" data-copy=(id) hidden { "Copy" }
            }
        }
    }
}
