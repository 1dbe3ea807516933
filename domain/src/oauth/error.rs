//! Token endpoint failures, named as RFC 6749 §5.2 names them; `api` renders them as the
//! OAuth JSON error body, not as SCIM errors.

use thiserror::Error;

use crate::error::DomainError;

#[derive(Debug, Error)]
pub enum OAuthError {
    /// A parameter is missing, repeated or malformed, or two client authentication methods
    /// were used at once (400).
    #[error("{0}")]
    InvalidRequest(String),
    /// Unknown client, wrong secret, revoked client or no client authentication (401).
    #[error("{0}")]
    InvalidClient(String),
    /// The authenticated client may not use this grant (400).
    #[error("{0}")]
    UnauthorizedClient(String),
    /// A grant type other than `client_credentials` (400).
    #[error("{0}")]
    UnsupportedGrantType(String),
    /// A requested scope is unknown or beyond what the client is allowed (400).
    #[error("{0}")]
    InvalidScope(String),
    /// Storage, cache or signing failed (503); the cause goes to the log only.
    #[error(transparent)]
    Server(#[from] DomainError),
}

impl OAuthError {
    /// The `error` code of the response body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient(_) => "invalid_client",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType(_) => "unsupported_grant_type",
            Self::InvalidScope(_) => "invalid_scope",
            Self::Server(_) => "temporarily_unavailable",
        }
    }
}
