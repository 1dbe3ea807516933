//! Bodies of console forms (`application/x-www-form-urlencoded`), refused when a browser says
//! another site sent them (`Sec-Fetch-Site`), which stops login CSRF on the setup form that
//! has no session (and so no CSRF token) yet.

use actix_web::HttpRequest;
use scimgate_domain::error::DomainError;
use serde::de::DeserializeOwned;

use super::error::ConsoleResult;
use super::session::ConsoleCaller;

/// Parses `body` as the form `T`; a malformed form is 400.
pub fn parse_form<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> ConsoleResult<T> {
    same_site(req)?;
    Ok(serde_urlencoded::from_bytes(body)
        .map_err(|err| DomainError::InvalidValue(format!("the form is malformed: {err}")))?)
}

/// 403 when the browser reports a cross-site request; requests without the header (other
/// clients, older browsers) pass, and the CSRF token still guards them.
fn same_site(req: &HttpRequest) -> ConsoleResult<()> {
    let site = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok());
    match site {
        None | Some("same-origin") | Some("none") => Ok(()),
        Some(_) => Err(DomainError::Forbidden(
            "forms are accepted from the console itself only".into(),
        )
        .into()),
    }
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

/// Checks a form that carries nothing but the CSRF token (revoke, sign out).
pub fn check_csrf_form(
    req: &HttpRequest,
    caller: &ConsoleCaller,
    body: &[u8],
) -> ConsoleResult<()> {
    let form: CsrfForm = parse_form(req, body)?;
    caller.check_csrf(form.csrf.as_deref())
}
