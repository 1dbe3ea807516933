use chrono::DateTime;
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;
use crate::event::{EventPayload, MemberDiff, NewEvent};
use crate::schema::kind::ResourceKind;

const ISS: &str = "https://scim.example.com/t/acme";

fn stored(operation: Operation, kind: ResourceKind, payload: EventPayload) -> ChangeEvent {
    ChangeEvent {
        sequence: 7,
        event: NewEvent {
            id: Uuid::now_v7(),
            txn: Uuid::now_v7(),
            operation,
            kind,
            resource_id: Uuid::now_v7(),
            external_id: Some("ext-1".into()),
            version: 3,
            actor: "tok".into(),
            request_id: None,
            at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            payload,
        },
    }
}

fn written(attributes: &[&str]) -> EventPayload {
    let data = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "ada",
        "password": "must-not-leak",
    });
    EventPayload {
        attributes: attributes.iter().map(|a| (*a).to_owned()).collect(),
        data: data.as_object().cloned(),
        ..EventPayload::default()
    }
}

fn claims(event: &ChangeEvent, variant: Variant) -> Value {
    let to = SetAddress {
        issuer: ISS,
        audience: "receiver-1",
        variant,
    };
    Value::Object(set_claims(event, &to, 1_700_000_100))
}

#[test]
fn header_claims_name_the_event_and_its_subject_never_sub() {
    let event = stored(
        Operation::Create,
        ResourceKind::User,
        written(&["userName"]),
    );
    let set = claims(&event, Variant::Full);
    let id = event.event.resource_id.to_string();
    assert_eq!(set["iss"], json!(ISS));
    assert_eq!(set["aud"], json!("receiver-1"));
    assert_eq!(set["iat"], json!(1_700_000_100));
    assert_eq!(set["toe"], json!(1_700_000_000));
    assert_eq!(set["jti"], json!(event.event.id.to_string()));
    assert_eq!(set["txn"], json!(event.event.txn.to_string()));
    assert_eq!(
        set["sub_id"],
        json!({"format": "scim", "uri": format!("/Users/{id}"), "id": id, "externalId": "ext-1"})
    );
    assert!(set.get("sub").is_none());
    assert_eq!(set["events"].as_object().map(Map::len), Some(1));
}

#[test]
fn full_events_carry_the_resulting_resource_without_a_password() {
    for operation in [Operation::Create, Operation::Put, Operation::Patch] {
        let event = stored(operation, ResourceKind::User, written(&["userName"]));
        let set = claims(&event, Variant::Full);
        let uri = format!(
            "urn:ietf:params:scim:event:prov:{}:full",
            operation.as_str()
        );
        let payload = &set["events"][&uri];
        assert_eq!(payload["version"], json!("W/\"3\""), "{uri}");
        assert_eq!(payload["data"]["userName"], json!("ada"));
        assert_eq!(
            payload["data"]["id"],
            json!(event.event.resource_id.to_string())
        );
        assert!(payload["data"].get("password").is_none());
        assert!(
            payload.get("attributes").is_none(),
            "data or attributes, not both"
        );
    }
}

#[test]
fn notice_events_name_the_changed_attributes_only() {
    let event = stored(
        Operation::Patch,
        ResourceKind::User,
        written(&["nickName", "password"]),
    );
    let set = claims(&event, Variant::Notice);
    assert_eq!(
        set["events"],
        json!({"urn:ietf:params:scim:event:prov:patch:notice": {
            "version": "W/\"3\"", "attributes": ["nickName", "password"]
        }})
    );
    assert!(!set.to_string().contains("must-not-leak"));
}

#[test]
fn delete_has_no_payload_and_flips_carry_only_the_version() {
    let deleted = stored(
        Operation::Delete,
        ResourceKind::User,
        EventPayload::default(),
    );
    assert_eq!(
        claims(&deleted, Variant::Full)["events"],
        json!({"urn:ietf:params:scim:event:prov:delete": {}})
    );
    let flip = EventPayload {
        attributes: vec!["active".into()],
        ..EventPayload::default()
    };
    let deactivated = stored(Operation::Deactivate, ResourceKind::User, flip);
    assert_eq!(
        claims(&deactivated, Variant::Full)["events"],
        json!({"urn:ietf:params:scim:event:prov:deactivate": {"version": "W/\"3\""}})
    );
}

#[test]
fn a_member_continuation_without_data_is_a_notice_with_the_member_change() {
    let member = Uuid::now_v7();
    let payload = EventPayload {
        attributes: vec!["members".into()],
        members: MemberDiff {
            added: vec![member],
            removed: Vec::new(),
        },
        ..EventPayload::default()
    };
    let event = stored(Operation::Patch, ResourceKind::Group, payload);
    let set = claims(&event, Variant::Full);
    let uri = "urn:ietf:params:scim:event:prov:patch:notice";
    assert_eq!(set["events"][uri]["attributes"], json!(["members"]));
    assert_eq!(
        set["events"][uri]["members"],
        json!({"added": [member.to_string()]})
    );
    assert!(
        set["sub_id"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("/Groups/"))
    );
}

#[test]
fn the_issuer_is_the_tenant_under_the_origin() {
    assert_eq!(
        issuer("https://scim.example.com/", "acme"),
        "https://scim.example.com/t/acme"
    );
}
