//! Paging cursors (RFC 9865): decoding must never panic, whatever the token holds, including
//! payloads that carry a valid signature (signing is an identity here, so the fuzzer can reach
//! the payload parser); a decoded position re-encodes to a cursor that decodes to itself.

#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use scimgate_domain::query::cursor::{CursorScope, decode, encode};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use uuid::Uuid;

/// A fixed "signature", so that any body the fuzzer writes passes the signature check.
fn sign(_: &str) -> String {
    "s".to_owned()
}

fuzz_target!(|data: &[u8]| {
    let scope = CursorScope {
        tenant: TenantId(Uuid::nil()),
        kind: ResourceKind::User,
        query: "userName pr||",
    };
    let now = Utc
        .timestamp_opt(1_700_000_000, 0)
        .single()
        .unwrap_or_else(Utc::now);
    // The input as a whole token, then as the JSON payload of a signed one.
    if let Ok(token) = std::str::from_utf8(data) {
        let _ = decode(&sign, token, &scope, now);
    }
    let token = format!("{}.{}", URL_SAFE_NO_PAD.encode(data), sign(""));
    let Ok(request) = decode(&sign, &token, &scope, now) else {
        return;
    };
    let Some(position) = request.position else {
        return;
    };
    let again = encode(&sign, &scope, request.direction, position.clone(), now);
    let decoded = decode(&sign, &again, &scope, now)
        .unwrap_or_else(|e| panic!("a re-encoded cursor does not decode: {e}"));
    assert_eq!(decoded.direction, request.direction);
    assert_eq!(
        decoded.position,
        Some(position),
        "position changed in a round trip"
    );
});
