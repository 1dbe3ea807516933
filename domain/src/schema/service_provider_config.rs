//! `/ServiceProviderConfig` (RFC 7643 §5): what this server really implements, and its limits.

use serde_json::{Value, json};

use crate::event::{Operation, Variant};

const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// The limits a client needs to know, as configured.
#[derive(Debug, Clone, Copy)]
pub struct AdvertisedLimits {
    pub default_page_size: u64,
    pub max_results: u64,
    pub max_payload_bytes: usize,
    pub max_bulk_operations: usize,
    /// How long an RFC 9865 cursor stays valid.
    pub cursor_timeout_secs: i64,
}

/// Only features that work are marked supported.
pub fn service_provider_config(limits: AdvertisedLimits, location: &str) -> Value {
    json!({
        "schemas": [SPC_URN],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": { "supported": true },
        "bulk": {
            "supported": true,
            "maxOperations": limits.max_bulk_operations,
            "maxPayloadSize": limits.max_payload_bytes,
        },
        "filter": { "supported": true, "maxResults": limits.max_results },
        "changePassword": { "supported": true },
        "sort": { "supported": true },
        "pagination": {
            "cursor": true,
            "index": true,
            "defaultPaginationMethod": "index",
            "defaultPageSize": limits.default_page_size,
            "maxPageSize": limits.max_results,
            "cursorTimeout": limits.cursor_timeout_secs,
        },
        "etag": { "supported": true },
        // RFC 9967: every write leaves events (the events API serves them); requests
        // are never answered asynchronously.
        "securityEvents": {
            "asyncRequest": "none",
            "eventUris": event_uris(),
        },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A per-tenant bearer token issued by the scimgate operator, or an access token of an OAuth client from /oauth/token (client credentials)",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": location,
        },
    })
}

/// Every RFC 9967 event URI scimgate emits, in both variants where there are two.
/// The SCIM event URIs (RFC 9967 §7.2: the `urn:ietf:params:scim:event:` namespace) scimgate
/// sends. A purge's URI is scimgate's own, so it is sent but not listed here.
fn event_uris() -> Vec<String> {
    let mut uris = Vec::new();
    for op in Operation::ALL
        .into_iter()
        .filter(|op| *op != Operation::Purge)
    {
        for variant in [Variant::Full, Variant::Notice] {
            let uri = op.event_uri(variant);
            if !uris.contains(&uri) {
                uris.push(uri);
            }
        }
    }
    uris
}
