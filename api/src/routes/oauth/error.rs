//! Token endpoint errors as RFC 6749 §5.2 renders them: a JSON body with `error` and
//! `error_description`, 400 or (for client authentication) 401 with a Basic challenge.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use scimgate_domain::error::DomainError;
use scimgate_domain::oauth::error::OAuthError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct OAuthFailure(#[from] pub OAuthError);

impl From<DomainError> for OAuthFailure {
    fn from(err: DomainError) -> Self {
        Self(OAuthError::Server(err))
    }
}

/// `error_description` may only hold printable ASCII other than `"` and `\` (§5.2).
fn description(err: &OAuthError) -> String {
    let text = match err {
        OAuthError::Server(_) => "the service is temporarily unavailable; retry later".into(),
        other => other.to_string(),
    };
    text.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '?',
        })
        .collect()
}

impl ResponseError for OAuthFailure {
    fn status_code(&self) -> StatusCode {
        match &self.0 {
            OAuthError::InvalidClient(_) => StatusCode::UNAUTHORIZED,
            OAuthError::Server(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let OAuthError::Server(cause) = &self.0 {
            tracing::error!(error = %crate::error::error_chain(cause), "token request failed");
        }
        let mut response = HttpResponse::build(status);
        response
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"));
        if status == StatusCode::UNAUTHORIZED {
            // RFC 7235 §3.1: every 401 names a scheme the client can use.
            response.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"scimgate\""),
            ));
        }
        response.json(json!({
            "error": self.0.code(),
            "error_description": description(&self.0),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_keeps_only_the_characters_rfc_6749_allows() {
        let err = OAuthError::InvalidScope("scope \"é\\x\" unknown".into());
        assert_eq!(description(&err), "scope ???x? unknown");
    }
}
