//! The console's session cookie and the caller of a tenant page: the `scimgate_console`
//! cookie (`HttpOnly`, `SameSite=Strict`, `Path=/console`, `Secure` when the console is
//! served over https) resolved to a live session of the tenant in the path.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header::COOKIE;
use actix_web::{FromRequest, HttpRequest};
use scimgate_domain::error::DomainError;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::console::sessions::ActiveSession;
use scimgate_domain::tenant::TenantSlug;

use super::error::{ConsoleError, ConsoleResult};
use crate::extract::scim_caller::{origin, request_id};
use crate::extract::state::state_of;
use crate::state::SharedState;

pub const COOKIE_NAME: &str = "scimgate_console";

/// The session cookie's value, if the request carries one.
pub fn session_cookie(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(COOKIE)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
}

/// Whether the console is reached over https (the public URL's scheme, else the request's).
pub fn is_https(req: &HttpRequest, public_url: Option<&str>) -> bool {
    origin(req, public_url).starts_with("https://")
}

/// `Set-Cookie` for a new session living `max_age`.
pub fn set_cookie(value: &str, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE_NAME}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        max_age.as_secs()
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    set_cookie("", Duration::ZERO, secure)
}

/// A signed-in caller of a `/console/t/{tenant}/...` page.
pub struct ConsoleCaller {
    pub state: SharedState,
    pub active: ActiveSession,
    pub request_id: Option<String>,
}

impl ConsoleCaller {
    /// The session as a tenant admin, for the admin use cases.
    pub fn admin(&self) -> ConsoleResult<AdminContext> {
        Ok(self
            .state
            .console
            .admin_context(&self.active, self.request_id.clone())?)
    }

    pub fn csrf_token(&self) -> String {
        self.state.console.csrf_token(&self.active)
    }

    /// 403 unless the form carried the session's CSRF token.
    pub fn check_csrf(&self, presented: Option<&str>) -> ConsoleResult<()> {
        Ok(self.state.console.check_csrf(&self.active, presented)?)
    }

    pub fn slug(&self) -> &TenantSlug {
        &self.active.tenant.slug
    }
}

impl FromRequest for ConsoleCaller {
    type Error = ConsoleError;
    type Future = Pin<Box<dyn Future<Output = ConsoleResult<Self>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let raw = req.match_info().get("tenant").unwrap_or_default();
            let slug = TenantSlug::parse(raw)
                .map_err(|_| DomainError::NotFound(format!("no tenant '{raw}'")))?;
            let cookie = session_cookie(&req);
            let active = state.console.authenticate(&slug, cookie.as_deref()).await?;
            Ok(Self {
                state,
                active,
                request_id: request_id(&req),
            })
        })
    }
}
