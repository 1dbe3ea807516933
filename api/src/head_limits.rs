//! Limits on the request head, answered with SCIM errors: 414 for a request URI over
//! `SCIMGATE_MAX_URI_BYTES`, 431 for header fields over `SCIMGATE_MAX_HEADER_BYTES`.
//!
//! actix-http refuses heads past its own fixed limits before any middleware runs, with a
//! bodiless 400 (a URI over 65 534 bytes, the `http` crate's ceiling) or 431 (a head over
//! 128 KiB, or more than 96 header fields), and offers no setting to change that. These
//! limits sit below those ceilings, so a client that overshoots them is told why, and where a
//! long filter goes instead (`POST .search`, RFC 7644 §3.4.3). `head_guard` reads every head
//! before actix-http does, and so answers heads past those ceilings with the same errors.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use crate::error::ApiError;
use crate::head_guard::stand_in::{self, Refused};
use crate::state::AppState;

/// The longest URI actix-http (through the `http` crate) parses at all.
pub const URI_CEILING: usize = 65_534;
/// Header bytes that, with a URI at its ceiling, still fit actix-http's 128 KiB head buffer.
pub const HEADER_CEILING: usize = 65_536;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadLimits {
    max_uri_bytes: usize,
    max_header_bytes: usize,
}

impl HeadLimits {
    /// Limits within actix-http's ceilings; above them a check could never fire, so an error
    /// names the setting instead.
    pub fn new(max_uri_bytes: usize, max_header_bytes: usize) -> Result<Self, String> {
        if !(1..=URI_CEILING).contains(&max_uri_bytes) {
            return Err(format!(
                "SCIMGATE_MAX_URI_BYTES must be 1 to {URI_CEILING}, not {max_uri_bytes}"
            ));
        }
        if !(1..=HEADER_CEILING).contains(&max_header_bytes) {
            return Err(format!(
                "SCIMGATE_MAX_HEADER_BYTES must be 1 to {HEADER_CEILING}, not {max_header_bytes}"
            ));
        }
        Ok(Self {
            max_uri_bytes,
            max_header_bytes,
        })
    }

    pub fn max_uri_bytes(&self) -> usize {
        self.max_uri_bytes
    }

    pub fn max_header_bytes(&self) -> usize {
        self.max_header_bytes
    }

    fn check(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), ApiError> {
        if uri_bytes(uri) > self.max_uri_bytes {
            return Err(ApiError::UriTooLong(self.max_uri_bytes));
        }
        if header_bytes(headers) > self.max_header_bytes {
            return Err(ApiError::HeadersTooLarge(self.max_header_bytes));
        }
        Ok(())
    }
}

/// The request target as it was sent: origin form (`/path?query`) or absolute form.
fn uri_bytes(uri: &Uri) -> usize {
    let scheme = uri.scheme_str().map_or(0, |s| s.len() + "://".len());
    let authority = uri.authority().map_or(0, |a| a.as_str().len());
    let target = uri.path_and_query().map_or(0, |pq| pq.as_str().len());
    scheme + authority + target
}

/// The header block as it was sent: `name: value\r\n` per field.
fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + ": ".len() + value.len() + "\r\n".len())
        .sum()
}

/// Middleware: refuses an oversized head before routing, authentication or any body is read.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let limits = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.head_limits);
    let checked = limits.map(|limits| match stand_in::refused(req.headers()) {
        // A head `head_guard` refused on a kept-alive connection; this stands in for it.
        Some(Refused::Uri) => Err(ApiError::UriTooLong(limits.max_uri_bytes)),
        Some(Refused::Headers) => Err(ApiError::HeadersTooLarge(limits.max_header_bytes)),
        None => limits.check(req.uri(), req.headers()),
    });
    if let Some(Err(refused)) = checked {
        let response = refused.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    #[test]
    fn limits_above_what_actix_parses_are_refused_naming_the_setting() {
        assert!(HeadLimits::new(URI_CEILING, HEADER_CEILING).is_ok());
        let uri = HeadLimits::new(URI_CEILING + 1, 1024).unwrap_err();
        assert!(uri.contains("SCIMGATE_MAX_URI_BYTES"), "{uri}");
        let headers = HeadLimits::new(1024, 0).unwrap_err();
        assert!(headers.contains("SCIMGATE_MAX_HEADER_BYTES"), "{headers}");
    }

    #[test]
    fn uri_and_headers_are_measured_as_sent() {
        let limits = HeadLimits::new(10, 20).unwrap();
        let mut headers = HeaderMap::new();
        // "ab: 0123456789abcd\r\n" is 20 bytes.
        headers.insert(
            HeaderName::from_static("ab"),
            HeaderValue::from_static("0123456789abcd"),
        );
        let at_limit: Uri = "/Users?a=1".parse().unwrap();
        assert!(limits.check(&at_limit, &headers).is_ok());

        let long: Uri = "/Users?a=12".parse().unwrap();
        assert!(matches!(
            limits.check(&long, &headers),
            Err(ApiError::UriTooLong(10))
        ));
        headers.insert(HeaderName::from_static("c"), HeaderValue::from_static(""));
        assert!(matches!(
            limits.check(&at_limit, &headers),
            Err(ApiError::HeadersTooLarge(20))
        ));
    }
}
