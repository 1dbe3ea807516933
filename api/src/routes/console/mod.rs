//! The web console under `/console`: server-rendered pages (maud) for a customer's IT admin,
//! opened by a setup link and bound to one tenant by a session kept in the database. No page
//! needs JavaScript; `assets/console.js` only adds copy buttons. Every response carries the
//! headers of `headers.rs`; every state-changing form the session's CSRF token.

mod access;
mod assets;
mod audit;
mod directory;
mod error;
mod forms;
mod guides;
mod headers;
mod layout;
mod operator;
mod overview;
mod requests;
mod session;
mod setup;
mod tokens;
mod webhooks;

use actix_web::http::header::{LOCATION, SET_COOKIE};
use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use scimgate_domain::error::DomainError;

use error::{ConsoleError, ConsoleResult};
use forms::check_csrf_form;
use layout::{html_page, page};
use session::{ConsoleCaller, clear_cookie, is_https};

pub use headers::content_security_policy;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/console")
            .wrap(from_fn(headers::secure))
            .route("/assets/console.css", web::get().to(assets::css))
            .route("/assets/console.js", web::get().to(assets::js))
            .route("/setup/{code}", web::get().to(setup::open))
            .route("/setup", web::post().to(setup::redeem))
            .route("/signed-out", web::get().to(signed_out))
            .service(
                web::resource("/operator")
                    .route(web::get().to(operator::sign_in::form))
                    .route(web::post().to(operator::sign_in::submit)),
            )
            .route(
                "/operator/sign-out",
                web::post().to(operator::sign_in::sign_out),
            )
            .service(
                web::resource("/operator/tenants")
                    .route(web::get().to(operator::tenants::list))
                    .route(web::post().to(operator::tenants::create)),
            )
            .route(
                "/operator/tenants/{slug}/setup-links",
                web::post().to(operator::tenants::link),
            )
            .route("/t/{tenant}", web::get().to(overview::overview))
            .route("/t/{tenant}/guides", web::get().to(guides::index))
            .route("/t/{tenant}/guides/{idp}", web::get().to(guides::guide))
            .service(
                web::resource("/t/{tenant}/tokens")
                    .route(web::get().to(tokens::list))
                    .route(web::post().to(tokens::create)),
            )
            .route(
                "/t/{tenant}/tokens/{id}/rotate",
                web::post().to(tokens::rotate),
            )
            .route(
                "/t/{tenant}/tokens/{id}/revoke",
                web::post().to(tokens::revoke),
            )
            .route("/t/{tenant}/users", web::get().to(directory::list))
            .route("/t/{tenant}/users/{id}", web::get().to(directory::detail))
            .route("/t/{tenant}/groups", web::get().to(directory::list))
            .route("/t/{tenant}/groups/{id}", web::get().to(directory::detail))
            .route("/t/{tenant}/requests", web::get().to(requests::page))
            .route("/t/{tenant}/webhooks", web::get().to(webhooks::list))
            .route("/t/{tenant}/webhooks/{id}", web::get().to(webhooks::detail))
            .route(
                "/t/{tenant}/webhooks/{id}/status",
                web::post().to(webhooks::set_status),
            )
            .route(
                "/t/{tenant}/webhooks/{id}/replay",
                web::post().to(webhooks::replay),
            )
            .route("/t/{tenant}/audit", web::get().to(audit::page))
            .service(
                web::resource("/t/{tenant}/access")
                    .route(web::get().to(access::list))
                    .route(web::post().to(access::create)),
            )
            .route(
                "/t/{tenant}/access/{id}/revoke",
                web::post().to(access::revoke),
            )
            .route("/t/{tenant}/sign-out", web::post().to(sign_out))
            .default_service(web::to(not_found)),
    );
}

async fn not_found() -> ConsoleResult<HttpResponse> {
    Err(ConsoleError(DomainError::NotFound(
        "no such console page".into(),
    )))
}

/// Ends the session in the database (so a copied cookie dies too) and drops the cookie.
async fn sign_out(
    req: HttpRequest,
    caller: ConsoleCaller,
    body: web::Bytes,
) -> ConsoleResult<HttpResponse> {
    check_csrf_form(&req, &caller, &body)?;
    caller.state.console.end(&caller.active).await?;
    Ok(signed_out_redirect(
        &req,
        caller.state.public_url.as_deref(),
    ))
}

/// After a sign-out: the cookie dropped, on to the signed-out page.
fn signed_out_redirect(req: &HttpRequest, public_url: Option<&str>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((SET_COOKIE, clear_cookie(is_https(req, public_url))))
        .insert_header((LOCATION, "/console/signed-out"))
        .finish()
}

async fn signed_out() -> HttpResponse {
    let body = page(
        "Signed out",
        None,
        html! {
            h1 { "Signed out" }
            p { "Your console session has ended. To come back, ask for a new setup link." }
        },
    );
    html_page(body)
}
