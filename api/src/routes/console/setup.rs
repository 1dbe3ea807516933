//! Opening a setup link. `GET /console/setup/{code}` only shows a button: link scanners in
//! mail and chat fetch URLs they see, and a GET that redeemed would spend the single use
//! before the admin clicks. The button posts the code to `POST /console/setup`, which redeems
//! it, sets the session cookie and redirects (303) to the tenant's overview, so the code
//! leaves the address bar and the history entry.

use actix_web::http::header::{LOCATION, SET_COOKIE};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::error::ConsoleResult;
use super::forms::parse_form;
use super::layout::{html_page, page};
use super::session::{is_https, set_cookie};
use crate::extract::state::state_of;

pub async fn open(req: HttpRequest) -> HttpResponse {
    let code = req.match_info().get("code").unwrap_or_default();
    let body = page(
        "Open the console",
        None,
        html! {
            h1 { "Set up provisioning" }
            p { "This link opens your organisation's SCIM provisioning console: the address and token your identity provider needs, and a guide for it." }
            p class="muted" { "The link works once. After you continue, keep the browser tab: signing in again needs a new link." }
            form method="post" action="/console/setup" {
                input type="hidden" name="code" value=(code);
                button type="submit" { "Continue to the console" }
            }
        },
    );
    html_page(body)
}

#[derive(Deserialize)]
struct SetupForm {
    code: String,
}

pub async fn redeem(req: HttpRequest, body: web::Bytes) -> ConsoleResult<HttpResponse> {
    let state = state_of(&req)?;
    let form: SetupForm = parse_form(&req, &body)?;
    let client = client_address(&req);
    let opened = state.console.redeem(&form.code, &client).await?;
    let lifetime = (opened.session.expires_at - opened.session.created)
        .to_std()
        .unwrap_or_default();
    let secure = is_https(&req, state.public_url.as_deref());
    Ok(HttpResponse::SeeOther()
        .insert_header((SET_COOKIE, set_cookie(&opened.cookie, lifetime, secure)))
        .insert_header((LOCATION, format!("/console/t/{}", opened.tenant.slug)))
        .finish())
}

/// The address redemption attempts are counted against: the client's, as the trusted proxies
/// report it (`forwarded.rs` drops what untrusted peers claim).
pub(super) fn client_address(req: &HttpRequest) -> String {
    req.connection_info()
        .realip_remote_addr()
        .map(str::to_owned)
        .unwrap_or_else(|| "unknown".into())
}
