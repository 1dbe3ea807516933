//! The operator's view of the console under `/console/operator`: sign-in with the admin key
//! (`sign_in.rs`), then the tenants with their health at a glance, tenant creation and setup
//! links (`tenants.rs`). Only an operator session opens these pages (anything else gets 404),
//! and an operator session opens no tenant page: the operator reaches a tenant's console
//! through a setup link like anyone else.

pub mod sign_in;
pub mod tenants;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use maud::{Markup, html};
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::console::operator::OperatorSession;

use super::error::{ConsoleError, ConsoleResult};
use super::layout::{html_page, page};
use super::session::session_cookie;
use crate::extract::scim_caller::request_id;
use crate::extract::state::state_of;
use crate::state::SharedState;

/// A signed-in operator on an operator page.
pub struct OperatorCaller {
    pub state: SharedState,
    pub operator: OperatorSession,
    pub request_id: Option<String>,
}

impl OperatorCaller {
    pub fn admin(&self) -> AdminContext {
        self.state
            .console
            .operator_context(&self.operator, self.request_id.clone())
    }

    pub fn csrf_token(&self) -> String {
        self.state.console.operator_csrf_token(&self.operator)
    }

    /// 403 unless the form carried the session's CSRF token.
    pub fn check_csrf(&self, presented: Option<&str>) -> ConsoleResult<()> {
        Ok(self
            .state
            .console
            .check_operator_csrf(&self.operator, presented)?)
    }
}

impl FromRequest for OperatorCaller {
    type Error = ConsoleError;
    type Future = Pin<Box<dyn Future<Output = ConsoleResult<Self>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let cookie = session_cookie(&req);
            let operator = state
                .console
                .authenticate_operator(cookie.as_deref())
                .await?;
            Ok(Self {
                state,
                operator,
                request_id: request_id(&req),
            })
        })
    }
}

/// An operator page: its navigation and sign-out form above the content.
pub fn operator_page(caller: &OperatorCaller, title: &str, content: Markup) -> HttpResponse {
    let csrf = caller.csrf_token();
    html_page(page(
        title,
        None,
        html! {
            nav aria-label="Operator" class="operator-nav" {
                a href="/console/operator/tenants" { "Tenants" }
                " "
                form method="post" action="/console/operator/sign-out" class="inline" {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" class="link" { "Sign out" }
                }
            }
            (content)
        },
    ))
}
