//! The JSON form of an event, as the events API returns it and webhooks will post it.
//! `full` carries the resource and the previous values of what changed (as WorkOS's
//! `previous_attributes` do); `notice` only names what changed (RFC 9967 notice events).

use serde_json::{Map, Value, json};

use super::kind::{Variant, type_name};
use super::log::ChangeEvent;
use crate::resource::render::etag;

pub fn event_json(stored: &ChangeEvent, tenant: &str, variant: Variant) -> Value {
    let event = &stored.event;
    let id = event.resource_id.to_string();
    let uri = format!("{}/{id}", event.kind.endpoint());
    let mut resource = Map::new();
    resource.insert("resourceType".into(), json!(event.kind.name()));
    resource.insert("id".into(), json!(id));
    if let Some(external) = &event.external_id {
        resource.insert("externalId".into(), json!(external));
    }
    resource.insert("uri".into(), json!(uri));
    resource.insert("version".into(), json!(etag(event.version)));
    let mut body = Map::new();
    body.insert("id".into(), json!(event.id.to_string()));
    body.insert("sequence".into(), json!(stored.sequence));
    body.insert("type".into(), json!(type_name(event.kind, event.operation)));
    body.insert("eventUri".into(), json!(event.operation.event_uri(variant)));
    body.insert(
        "occurredAt".into(),
        json!(
            event
                .at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        ),
    );
    body.insert("tenant".into(), json!(tenant));
    body.insert("txn".into(), json!(event.txn.to_string()));
    body.insert("actor".into(), json!(event.actor));
    if let Some(request) = &event.request_id {
        body.insert("requestId".into(), json!(request));
    }
    body.insert("resource".into(), Value::Object(resource));
    let payload = &event.payload;
    if !payload.attributes.is_empty() {
        body.insert("attributes".into(), json!(payload.attributes));
    }
    if variant == Variant::Full {
        if !payload.previous.is_empty() {
            body.insert(
                "previousAttributes".into(),
                Value::Object(payload.previous.clone()),
            );
        }
        if let Some(data) = &payload.data {
            body.insert("data".into(), resource_data(stored, data));
        }
    }
    if !payload.members.is_empty() {
        body.insert("members".into(), json!(payload.members));
    }
    Value::Object(body)
}

/// The resource as it stood after the write: its attributes with `id` and the `meta` the
/// event knows (group members travel in `members`, not here).
pub(crate) fn resource_data(stored: &ChangeEvent, document: &Map<String, Value>) -> Value {
    let event = &stored.event;
    let mut data = Map::new();
    if let Some(schemas) = document.get("schemas") {
        data.insert("schemas".into(), schemas.clone());
    }
    data.insert("id".into(), json!(event.resource_id.to_string()));
    for (key, value) in document.iter().filter(|(k, _)| *k != "schemas") {
        data.insert(key.clone(), value.clone());
    }
    data.insert(
        "meta".into(),
        json!({
            "resourceType": event.kind.name(),
            "lastModified": event.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "version": etag(event.version),
        }),
    );
    Value::Object(data)
}
