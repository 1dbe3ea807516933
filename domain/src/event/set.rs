//! Change events as Security Event Tokens (RFC 8417) in the SCIM profile (RFC 9967): every
//! wire shape of a SET lives here, so webhooks (`format: "set"`) and RFC 8936 poll delivery
//! send the same claims.
//!
//! - `iss`: `{origin}/t/{tenant}` ([`issuer`]); the tenant's SCIM base URL is `iss` plus
//!   `/scim/v2`, so `iss` + `sub_id.uri` is the resource's URL. The signing keys are
//!   scimgate's (not the tenant's): `{origin}/.well-known/jwks.json`, named by the `kid`.
//! - `aud`: who the SET is for (a poll receiver's token or client id, a webhook's id).
//! - `jti`: the event id, the same on every re-send, so receivers de-duplicate on it; `txn`
//!   is shared by every event of one SCIM write. `iat`: when the SET was signed (a re-send
//!   is signed again); `toe`: when the write happened.
//! - `sub_id`: `{"format": "scim", "uri": "/Users/{id}", "id", "externalId"}`; never `sub`.
//! - `events`: exactly one event URI. `full` create/put/patch events carry `data`, the
//!   resource as it stood after the write (RFC 9967 §2.4: "the final representation of the
//!   resource"). For a PATCH we keep the resulting resource, not the PatchOp body (the
//!   example of RFC 9967 §2.4.2): it is what §2.4 describes for every full event, and a
//!   receiver can apply it without replaying PATCH semantics. `notice` events carry
//!   `attributes`, the changed attribute paths. Exactly one of the two, never both. An event
//!   with no resource to carry (the continuation of a large member change) is a notice.
//!   Every event but delete carries `version`, the ETag after the write; delete carries
//!   nothing (§2.4.4). Group member changes travel, as in the JSON form, in the scimgate
//!   extension member `members: {"added": [...], "removed": [...]}` (group data has no
//!   members). A password value never appears: documents hold none, and `data` drops the
//!   attribute should one ever slip in.

use serde_json::{Map, Value, json};

use super::json::resource_data;
use super::kind::{Operation, Variant};
use super::log::ChangeEvent;
use crate::resource::render::etag;

/// The JOSE `typ` of a SET (RFC 8417 §2.3).
pub const SET_TYP: &str = "secevent+jwt";
/// The media type of a SET in an HTTP body (RFC 8935).
pub const SET_MEDIA_TYPE: &str = "application/secevent+jwt";

/// Where a SET comes from and goes to, and which form of the event it carries.
#[derive(Debug, Clone, Copy)]
pub struct SetAddress<'a> {
    /// `iss`, see [`issuer`].
    pub issuer: &'a str,
    /// `aud`: the receiver.
    pub audience: &'a str,
    pub variant: Variant,
}

/// The SET issuer of a tenant: `{origin}/t/{tenant}` (origin without a trailing slash).
pub fn issuer(origin: &str, tenant: &str) -> String {
    format!("{}/t/{tenant}", origin.trim_end_matches('/'))
}

/// The claims of the SET reporting `stored`, signed at `iat` (Unix seconds).
pub fn set_claims(stored: &ChangeEvent, to: &SetAddress<'_>, iat: i64) -> Map<String, Value> {
    let event = &stored.event;
    let id = event.resource_id.to_string();
    let mut sub_id = Map::new();
    sub_id.insert("format".into(), json!("scim"));
    sub_id.insert(
        "uri".into(),
        json!(format!("{}/{id}", event.kind.endpoint())),
    );
    sub_id.insert("id".into(), json!(id));
    if let Some(external) = &event.external_id {
        sub_id.insert("externalId".into(), json!(external));
    }
    let (uri, payload) = event_payload(stored, to.variant);
    let mut events = Map::new();
    events.insert(uri, Value::Object(payload));
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(to.issuer));
    claims.insert("aud".into(), json!(to.audience));
    claims.insert("iat".into(), json!(iat));
    claims.insert("toe".into(), json!(event.at.timestamp()));
    claims.insert("jti".into(), json!(event.id.to_string()));
    claims.insert("txn".into(), json!(event.txn.to_string()));
    claims.insert("sub_id".into(), Value::Object(sub_id));
    claims.insert("events".into(), Value::Object(events));
    claims
}

/// The event URI and its payload.
fn event_payload(stored: &ChangeEvent, variant: Variant) -> (String, Map<String, Value>) {
    let event = &stored.event;
    let payload = &event.payload;
    let mut body = Map::new();
    if matches!(event.operation, Operation::Delete | Operation::Purge) {
        return (event.operation.event_uri(variant), body);
    }
    body.insert("version".into(), json!(etag(event.version)));
    let mut form = variant;
    if matches!(
        event.operation,
        Operation::Create | Operation::Put | Operation::Patch
    ) {
        match (&payload.data, variant) {
            (Some(document), Variant::Full) => {
                let mut data = resource_data(stored, document);
                if let Value::Object(fields) = &mut data {
                    fields.remove("password");
                }
                body.insert("data".into(), data);
            }
            _ => {
                form = Variant::Notice;
                body.insert("attributes".into(), json!(payload.attributes));
            }
        }
    }
    if !payload.members.is_empty() {
        body.insert("members".into(), json!(payload.members));
    }
    (event.operation.event_uri(form), body)
}

#[cfg(test)]
mod tests;
