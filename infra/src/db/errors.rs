//! Turning database failures into domain errors at the repository edge.

use scimgate_domain::error::DomainError;
use sea_orm::{DbErr, SqlErr};

/// Any failure the caller cannot fix: storage is unavailable or broken.
pub fn unavailable(err: DbErr) -> DomainError {
    super::observe::mark_failed();
    DomainError::unavailable(err)
}

/// Maps constraint violations to what they mean for the write; everything else is a storage failure.
pub fn on_write(
    err: DbErr,
    unique: impl FnOnce() -> DomainError,
    foreign: impl FnOnce() -> DomainError,
) -> DomainError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => unique(),
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => foreign(),
        _ => unavailable(err),
    }
}
