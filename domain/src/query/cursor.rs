//! Opaque, tamper-evident cursors for RFC 9865 paging. A cursor carries the position of the
//! last (or first) row of a page — its sort key and id — so the next page is a keyset seek
//! that costs the same at any depth. It is bound to the tenant, the resource type and the
//! query (filter and sort), signed with the deployment's HMAC key, and expires.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::constant_time;
use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;
use crate::tenant::TenantId;

/// How long a cursor stays valid, advertised as `pagination.cursorTimeout`.
pub const CURSOR_TIMEOUT_SECS: i64 = 3600;

/// Where a page starts: just past this row in the query's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// The row's sort key (JSON null when it has none, or when the query is unsorted).
    pub key: Value,
    pub id: Uuid,
}

/// Which way a page is read from its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    #[serde(rename = "f")]
    Forward,
    #[serde(rename = "b")]
    Backward,
}

/// A decoded cursor request: `position` is `None` for the first page.
#[derive(Debug, Clone, PartialEq)]
pub struct CursorRequest {
    pub position: Option<Position>,
    pub direction: Direction,
}

/// What a cursor is valid for.
pub struct CursorScope<'a> {
    pub tenant: TenantId,
    pub kind: ResourceKind,
    /// A canonical rendering of the filter and sort, so a cursor cannot be replayed on
    /// another query.
    pub query: &'a str,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    t: Uuid,
    k: ResourceKind,
    q: String,
    d: Direction,
    p: Position,
    e: i64,
}

/// The deployment's keyed digest (the secret hasher's fingerprint), passed in so that the
/// query types need no port.
pub type Signer<'a> = &'a dyn Fn(&str) -> String;

fn signature(sign: Signer, payload: &str) -> String {
    sign(&format!("cursor:{payload}"))
}

pub fn encode(
    sign: Signer,
    scope: &CursorScope,
    direction: Direction,
    position: Position,
    now: DateTime<Utc>,
) -> String {
    let payload = Payload {
        t: scope.tenant.0,
        k: scope.kind,
        q: scope.query.to_owned(),
        d: direction,
        p: position,
        e: now.timestamp() + CURSOR_TIMEOUT_SECS,
    };
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    let body = URL_SAFE_NO_PAD.encode(json);
    let sig = signature(sign, &body);
    format!("{body}.{sig}")
}

/// Checks signature, scope and lifetime; an empty token asks for the first page.
pub fn decode(
    sign: Signer,
    token: &str,
    scope: &CursorScope,
    now: DateTime<Utc>,
) -> DomainResult<CursorRequest> {
    if token.is_empty() {
        return Ok(CursorRequest {
            position: None,
            direction: Direction::Forward,
        });
    }
    let invalid = || {
        DomainError::InvalidCursor("the cursor is not one this server issued for this query".into())
    };
    let (body, sig) = token.rsplit_once('.').ok_or_else(invalid)?;
    if !constant_time::eq(signature(sign, body).as_bytes(), sig.as_bytes()) {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| invalid())?;
    let payload: Payload = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if payload.t != scope.tenant.0 || payload.k != scope.kind || payload.q != scope.query {
        return Err(invalid());
    }
    if payload.e < now.timestamp() {
        return Err(DomainError::ExpiredCursor(format!(
            "the cursor expired; cursors are valid for {CURSOR_TIMEOUT_SECS} seconds"
        )));
    }
    Ok(CursorRequest {
        position: Some(payload.p),
        direction: payload.d,
    })
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use super::*;
    use serde_json::json;

    /// Not cryptographic; enough to tell payloads apart in tests.
    fn test_sign(payload: &str) -> String {
        format!(
            "{:x}",
            payload
                .bytes()
                .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
        )
    }

    fn scope(query: &str) -> CursorScope<'_> {
        CursorScope {
            tenant: TenantId(Uuid::nil()),
            kind: ResourceKind::User,
            query,
        }
    }

    fn position() -> Position {
        Position {
            key: json!("ada"),
            id: Uuid::now_v7(),
        }
    }

    #[test]
    fn a_cursor_round_trips_within_its_scope() {
        let now = Utc::now();
        let token = encode(
            &test_sign,
            &scope("q"),
            Direction::Backward,
            position(),
            now,
        );
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{token}"
        );
        let decoded = decode(&test_sign, &token, &scope("q"), now).unwrap();
        assert_eq!(decoded.direction, Direction::Backward);
        assert_eq!(decoded.position.unwrap().key, json!("ada"));
    }

    #[test]
    fn tampered_foreign_and_expired_cursors_are_refused() {
        let now = Utc::now();
        let token = encode(&test_sign, &scope("q"), Direction::Forward, position(), now);
        let tampered = format!("x{token}");
        assert!(matches!(
            decode(&test_sign, &tampered, &scope("q"), now),
            Err(DomainError::InvalidCursor(_))
        ));
        assert!(matches!(
            decode(&test_sign, &token, &scope("other"), now),
            Err(DomainError::InvalidCursor(_))
        ));
        assert!(matches!(
            decode(&test_sign, "garbage", &scope("q"), now),
            Err(DomainError::InvalidCursor(_))
        ));
        let later = now + chrono::Duration::seconds(CURSOR_TIMEOUT_SECS + 1);
        assert!(matches!(
            decode(&test_sign, &token, &scope("q"), later),
            Err(DomainError::ExpiredCursor(_))
        ));
    }

    #[test]
    fn an_empty_cursor_asks_for_the_first_page() {
        let first = decode(&test_sign, "", &scope("q"), Utc::now()).unwrap();
        assert_eq!(first.position, None);
    }
}
