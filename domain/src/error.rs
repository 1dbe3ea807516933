//! The domain's one error type. Each variant names a SCIM outcome; `api` maps it to an HTTP
//! status and `scimType` in a single match.

use thiserror::Error;

/// Failures the SCIM use cases report to their callers.
#[derive(Debug, Error)]
pub enum DomainError {
    /// The request body is not a valid SCIM document (RFC 7644 §3.12 `invalidSyntax`).
    #[error("{0}")]
    InvalidSyntax(String),
    /// A value is of the wrong type, missing though required, or otherwise unacceptable (`invalidValue`).
    #[error("{0}")]
    InvalidValue(String),
    /// A write would break a uniqueness constraint (`uniqueness`, 409).
    #[error("{0}")]
    Uniqueness(String),
    /// A write tried to change an immutable attribute (`mutability`, 400).
    #[error("{0}")]
    Mutability(String),
    /// A filter does not parse, names an unknown attribute or exceeds a limit (`invalidFilter`, 400).
    #[error("{0}")]
    InvalidFilter(String),
    /// A pagination cursor is malformed, tampered with, or belongs to another query
    /// (RFC 9865 `invalidCursor`, 400).
    #[error("{0}")]
    InvalidCursor(String),
    /// A pagination cursor is past its lifetime (RFC 9865 `expiredCursor`, 400).
    #[error("{0}")]
    ExpiredCursor(String),
    /// A `count` outside 1..=maxPageSize in cursor paging (RFC 9865 `invalidCount`, 400).
    #[error("{0}")]
    InvalidCount(String),
    /// A PATCH `path` is malformed or names an attribute the resource type does not have
    /// (RFC 7644 §3.12 `invalidPath`, 400).
    #[error("{0}")]
    InvalidPath(String),
    /// A PATCH `path` selects nothing: a value filter that matches no element, or a `remove`
    /// without a path (RFC 7644 §3.12 `noTarget`, 400).
    #[error("{0}")]
    NoTarget(String),
    /// A query parameter is out of its allowed range (`invalidValue` on a query, 400).
    #[error("{0}")]
    InvalidQuery(String),
    /// The request uses a feature this server does not offer (501).
    #[error("{0}")]
    NotImplemented(String),
    /// No such resource in the caller's tenant (404).
    #[error("{0}")]
    NotFound(String),
    /// An `If-Match` precondition failed (412).
    #[error("{0}")]
    PreconditionFailed(String),
    /// The conflict is not about uniqueness, e.g. a slug that is taken (409).
    #[error("{0}")]
    Conflict(String),
    /// A bulk operation references a `bulkId` that is unknown, failed, or circular
    /// (RFC 7644 §3.7.1, 409 `invalidValue`).
    #[error("{0}")]
    UnresolvedReference(String),
    /// A User's userName or email is outside its tenant's verified domains (400
    /// `invalidValue`; see `guard_rails`).
    #[error("{0}")]
    OutsideVerifiedDomains(String),
    /// An active user past the tenant's seat limit (400 without a `scimType`: nothing in the
    /// request is malformed; see docs/admin-api.md for why 400).
    #[error("{0}")]
    SeatLimitReached(String),
    /// The request exceeds a size limit, e.g. bulk `maxOperations` (RFC 7644 §3.7.4, 413).
    #[error("{0}")]
    TooLarge(String),
    /// Credentials are missing, malformed, unknown, revoked or expired (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The principal may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The tenant or credential spent its request budget (429 with `Retry-After`).
    #[error("too many requests; retry in {} s", retry_after.as_secs())]
    RateLimited { retry_after: std::time::Duration },
    /// Storage or cache failed; the detail stays in the log, never in a response.
    #[error("storage failure")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl DomainError {
    /// The HTTP status and `scimType` RFC 7644 §3.12 gives this outcome: the one place that
    /// decides them, for responses, bulk operation results and audit entries alike.
    pub fn scim_status(&self) -> (u16, Option<&'static str>) {
        match self {
            Self::InvalidSyntax(_) => (400, Some("invalidSyntax")),
            Self::InvalidValue(_) | Self::InvalidQuery(_) | Self::OutsideVerifiedDomains(_) => {
                (400, Some("invalidValue"))
            }
            Self::SeatLimitReached(_) => (400, None),
            Self::InvalidFilter(_) => (400, Some("invalidFilter")),
            Self::InvalidCursor(_) => (400, Some("invalidCursor")),
            Self::ExpiredCursor(_) => (400, Some("expiredCursor")),
            Self::InvalidCount(_) => (400, Some("invalidCount")),
            Self::InvalidPath(_) => (400, Some("invalidPath")),
            Self::NoTarget(_) => (400, Some("noTarget")),
            Self::Mutability(_) => (400, Some("mutability")),
            Self::Uniqueness(_) => (409, Some("uniqueness")),
            Self::Conflict(_) => (409, None),
            Self::UnresolvedReference(_) => (409, Some("invalidValue")),
            Self::TooLarge(_) => (413, None),
            Self::NotImplemented(_) => (501, None),
            Self::NotFound(_) => (404, None),
            Self::PreconditionFailed(_) => (412, None),
            Self::Unauthenticated(_) => (401, None),
            Self::Forbidden(_) => (403, None),
            Self::Unavailable(_) => (503, None),
            Self::RateLimited { .. } => (429, None),
        }
    }

    /// The guard rail that refused this write, if one did.
    pub fn guard_rule(&self) -> Option<crate::guard_rails::GuardRule> {
        use crate::guard_rails::GuardRule;
        match self {
            Self::OutsideVerifiedDomains(_) => Some(GuardRule::VerifiedDomains),
            Self::SeatLimitReached(_) => Some(GuardRule::SeatLimit),
            _ => None,
        }
    }

    /// Wraps an infrastructure failure, keeping its cause chain for the log.
    pub fn unavailable(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Unavailable(Box::new(source))
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
