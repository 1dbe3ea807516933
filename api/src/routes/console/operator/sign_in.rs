//! Operator sign-in and sign-out. The form posts the admin key (the key the admin API
//! checks, compared in constant time by `AdminKey`) after the per-address rate limit of link
//! redemption; success sets the session cookie and redirects (303) to the tenants list.

use actix_web::http::header::{LOCATION, SET_COOKIE};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::OperatorCaller;
use crate::extract::state::state_of;
use crate::routes::console::error::ConsoleResult;
use crate::routes::console::forms::parse_form;
use crate::routes::console::layout::{html_page, page};
use crate::routes::console::session::{is_https, set_cookie};
use crate::routes::console::setup::client_address;

pub async fn form() -> HttpResponse {
    html_page(page(
        "Operator sign-in",
        None,
        html! {
            h1 { "Operator sign-in" }
            p { "Sign in with the deployment's admin key (" code { "SCIMGATE_ADMIN_KEY" } ") to see every tenant, create tenants and make setup links." }
            form method="post" action="/console/operator" {
                div class="field" {
                    label for="admin-key" { "Admin key" }
                    input id="admin-key" name="key" type="password" required autocomplete="current-password";
                }
                button type="submit" { "Sign in" }
            }
        },
    ))
}

#[derive(Deserialize)]
struct KeyForm {
    key: String,
}

pub async fn submit(req: HttpRequest, body: web::Bytes) -> ConsoleResult<HttpResponse> {
    let state = state_of(&req)?;
    let form: KeyForm = parse_form(&req, &body)?;
    let key = state.admin_key.as_ref();
    let opened = state
        .console
        .operator_sign_in(&client_address(&req), || {
            key.is_some_and(|key| key.matches(&form.key))
        })
        .await?;
    let lifetime = (opened.session.expires_at - opened.session.created)
        .to_std()
        .unwrap_or_default();
    let secure = is_https(&req, state.public_url.as_deref());
    Ok(HttpResponse::SeeOther()
        .insert_header((SET_COOKIE, set_cookie(opened.cookie(), lifetime, secure)))
        .insert_header((LOCATION, "/console/operator/tenants"))
        .finish())
}

pub async fn sign_out(
    req: HttpRequest,
    caller: OperatorCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    let form: CsrfOnly = parse_form(&req, &body)?;
    caller.check_csrf(form.csrf.as_deref())?;
    caller.state.console.end_operator(&caller.operator).await?;
    Ok(crate::routes::console::signed_out_redirect(
        &req,
        caller.state.public_url.as_deref(),
    ))
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}
