//! The credential of the `Authorization: Bearer ...` header (RFC 6750 §2.1).

use actix_web::HttpRequest;
use actix_web::http::header;
use scimgate_domain::error::DomainError;

pub fn bearer_token(req: &HttpRequest) -> Result<&str, DomainError> {
    // Two credentials leave it to chance which one counts (RFC 6750 §3.1 calls it an invalid
    // request): take neither.
    if req
        .headers()
        .get_all(header::AUTHORIZATION)
        .nth(1)
        .is_some()
    {
        return Err(DomainError::Unauthenticated(
            "more than one Authorization header".into(),
        ));
    }
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
