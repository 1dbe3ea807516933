//! Every failure leaves as a SCIM error body (RFC 7644 §3.12) with the right status. The
//! domain's errors map to HTTP in the one match below; causes go to the log, not the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use scimgate_domain::error::DomainError;
use serde_json::{Value, json};

use crate::scim_json::SCIM_CONTENT_TYPE;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{0}")]
    InvalidSyntax(String),
    #[error("request body larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("no such endpoint")]
    RouteNotFound,
    #[error("method not allowed on this endpoint")]
    MethodNotAllowed,
    #[error(
        "the request URI is longer than {0} bytes; send long filters in the body of POST .search (e.g. /Users/.search)"
    )]
    UriTooLong(usize),
    #[error("the request header fields are larger than {0} bytes in all")]
    HeadersTooLarge(usize),
    #[error("the request head did not arrive within {0:?}")]
    RequestTimeout(std::time::Duration),
}

impl ApiError {
    /// Status and `scimType` of each error; the domain's own come from `scim_status`.
    fn status_and_type(&self) -> (StatusCode, Option<&'static str>) {
        match self {
            Self::Domain(err) => {
                let (code, scim_type) = err.scim_status();
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, scim_type)
            }
            Self::InvalidSyntax(_) => (StatusCode::BAD_REQUEST, Some("invalidSyntax")),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, None),
            Self::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, None),
            Self::RouteNotFound => (StatusCode::NOT_FOUND, None),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, None),
            Self::UriTooLong(_) => (StatusCode::URI_TOO_LONG, None),
            Self::HeadersTooLarge(_) => (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, None),
            Self::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, None),
        }
    }

    /// The `scimType` of the error's answer, if it has one (the request log records it).
    pub(crate) fn scim_type(&self) -> Option<&'static str> {
        self.status_and_type().1
    }

    fn detail(&self) -> String {
        match self {
            Self::Domain(DomainError::Unavailable(_)) => {
                "the service is temporarily unavailable; retry later".into()
            }
            other => other.to_string(),
        }
    }

    /// The status and SCIM error body (RFC 7644 §3.12). Also what a failed bulk operation
    /// carries as its `response`. The one place failures are logged: server errors at ERROR
    /// with their cause chain; client errors at DEBUG with status and `scimType` only, since
    /// their detail quotes what the client sent (a taken userName) and any client can cause
    /// as many as it likes.
    pub(crate) fn scim_body(&self) -> (StatusCode, Value) {
        let (status, scim_type) = self.status_and_type();
        if status.is_server_error() {
            tracing::error!(error = %error_chain(self), "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), scim_type, "request refused");
        }
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": status.as_u16().to_string(),
            "detail": self.detail(),
        });
        if let (Some(kind), Some(obj)) = (scim_type, body.as_object_mut()) {
            obj.insert("scimType".into(), kind.into());
        }
        (status, body)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status_and_type().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, body) = self.scim_body();
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, SCIM_CONTENT_TYPE));
        match self {
            Self::Domain(DomainError::Unauthenticated(_)) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"scimgate\", error=\"invalid_token\""),
                ));
            }
            Self::Domain(DomainError::Forbidden(_)) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(
                        "Bearer realm=\"scimgate\", error=\"insufficient_scope\"",
                    ),
                ));
            }
            Self::Domain(DomainError::RateLimited { retry_after }) => {
                let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            _ => {}
        }
        response.body(body.to_string())
    }
}

/// The whole cause chain on one line, for the log.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

pub type ApiResult<T> = Result<T, ApiError>;
