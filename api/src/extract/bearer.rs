//! The credential of the `Authorization: Bearer ...` header (RFC 6750 §2.1).

use actix_web::HttpRequest;
use actix_web::http::header;
use scimgate_domain::error::DomainError;

pub fn bearer_token(req: &HttpRequest) -> Result<&str, DomainError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| DomainError::Unauthenticated("missing Authorization header".into()))?
        .to_str()
        .map_err(|_| DomainError::Unauthenticated("malformed Authorization header".into()))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        DomainError::Unauthenticated("expected 'Authorization: Bearer <token>'".into())
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(DomainError::Unauthenticated(
            "expected 'Authorization: Bearer <token>'".into(),
        ));
    }
    Ok(token.trim())
}
