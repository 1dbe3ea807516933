//! Google Workspace: automatic provisioning exists only for apps in Google's catalog, so a
//! custom app cannot be given a SCIM URL; the guide says so and offers the ways that work.

use maud::{Markup, html};

use super::GuideValues;

pub fn steps(values: &GuideValues<'_>) -> Markup {
    html! {
        div class="notice warn" {
            p { "Google Workspace sends SCIM only to applications from its own catalog that support automatic provisioning. A custom SAML app you add yourself cannot be pointed at a SCIM URL." }
        }
        h2 { "What works" }
        ol class="steps" {
            li { "If this product has a pre-integrated app in the Google Workspace catalog, add it under " b { "Apps → Web and mobile apps → Add app → Search for apps" } ", open it and follow " b { "Auto-provisioning" } "; where it asks for an endpoint and token use " code { (values.base_url) } " and a token from this console." }
            li { "Otherwise, sync with a job of your own: read users and groups with Google's Admin SDK Directory API and send them to " code { (values.base_url) "/Users" } " and " code { (values.base_url) "/Groups" } " with the header " code { "Authorization: Bearer <token>" } ". Any SCIM 2.0 client library works." }
            li { "Or use Google Workspace only for sign-in (SAML or OpenID Connect) and provision from another directory you run." }
        }
    }
}
