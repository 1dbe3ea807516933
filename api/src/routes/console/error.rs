//! A console failure as an HTML page with the status the domain gives it. Internal failures
//! show a generic sentence (the cause goes to the log); the others say what to do.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};
use maud::html;
use scimgate_domain::error::DomainError;

use super::layout::{HTML, page};
use crate::error::ApiError;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConsoleError(pub DomainError);

pub type ConsoleResult<T> = Result<T, ConsoleError>;

impl From<DomainError> for ConsoleError {
    fn from(err: DomainError) -> Self {
        Self(err)
    }
}

/// Failures of shared extractors (the state) arrive as API errors; as pages they are all
/// "unavailable".
impl From<ApiError> for ConsoleError {
    fn from(err: ApiError) -> Self {
        Self(DomainError::unavailable(std::io::Error::other(
            err.to_string(),
        )))
    }
}

impl ConsoleError {
    fn title_and_text(&self) -> (&'static str, String) {
        match &self.0 {
            DomainError::NotFound(text) => ("Not found", text.clone()),
            DomainError::Unauthenticated(text) => ("Signed out", text.clone()),
            DomainError::Forbidden(text) => ("Refused", text.clone()),
            DomainError::RateLimited { .. } => (
                "Too many attempts",
                "Wait a few seconds before you try again.".into(),
            ),
            DomainError::Unavailable(_) => (
                "Something went wrong",
                "scimgate could not answer just now. Try again in a moment.".into(),
            ),
            other if self.status().is_client_error() => ("Not accepted", other.to_string()),
            _ => (
                "Something went wrong",
                "scimgate could not answer just now. Try again in a moment.".into(),
            ),
        }
    }

    fn status(&self) -> StatusCode {
        let (status, _) = self.0.scim_status();
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl ResponseError for ConsoleError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self.0, "console page failed");
        }
        let (title, text) = self.title_and_text();
        let body = page(
            title,
            None,
            html! {
                h1 { (title) }
                p role="alert" { (text) }
            },
        );
        let mut response = HttpResponse::build(status);
        response.insert_header((CONTENT_TYPE, HTML));
        if let DomainError::RateLimited { retry_after } = &self.0 {
            response.insert_header((RETRY_AFTER, retry_after.as_secs().max(1).to_string()));
        }
        response.body(body.into_string())
    }
}
