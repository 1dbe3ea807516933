#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};

fn user(input: Value) -> DomainResult<WriteDocument> {
    canonicalize(&SchemaRegistry::standard(), ResourceKind::User, input)
}

fn group(input: Value) -> DomainResult<WriteDocument> {
    canonicalize(&SchemaRegistry::standard(), ResourceKind::Group, input)
}

fn invalid_value(result: DomainResult<WriteDocument>) -> String {
    match result {
        Err(DomainError::InvalidValue(detail)) => detail,
        other => panic!("expected InvalidValue, got {other:?}"),
    }
}

fn invalid_syntax(result: DomainResult<WriteDocument>) -> String {
    match result {
        Err(DomainError::InvalidSyntax(detail)) => detail,
        other => panic!("expected InvalidSyntax, got {other:?}"),
    }
}

#[test]
fn minimal_user_is_accepted_unchanged() {
    let written = user(json!({"schemas": [USER_SCHEMA], "userName": "bjensen"})).unwrap();
    assert_eq!(
        Value::Object(written.document),
        json!({"schemas": [USER_SCHEMA], "userName": "bjensen"})
    );
    assert_eq!(written.password, None);
}

#[test]
fn case_insensitive_names_are_canonicalised() {
    let written = user(json!({
        "SCHEMAS": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],
        "USERNAME": "bjensen",
        "Name": {"GIVENNAME": "Barbara"},
        "EMAILS": [{"VALUE": "b@example.com", "Primary": true}],
        "externalid": "e-1",
    }))
    .unwrap();
    assert_eq!(
        Value::Object(written.document),
        json!({
            "schemas": [USER_SCHEMA],
            "userName": "bjensen",
            "name": {"givenName": "Barbara"},
            "emails": [{"value": "b@example.com", "primary": true}],
            "externalId": "e-1",
        })
    );
}

#[test]
fn urn_qualified_core_attribute_maps_to_the_attribute() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "urn:ietf:params:scim:schemas:core:2.0:User:userName": "bjensen",
    }))
    .unwrap();
    assert_eq!(written.document["userName"], "bjensen");
}

#[test]
fn read_only_attributes_are_dropped() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "id": "client-chosen",
        "meta": {"resourceType": "User"},
        "userName": "bjensen",
        "groups": [{"value": "g1", "display": "Admins"}],
        ENTERPRISE_USER_SCHEMA: {"manager": {"value": "m1", "displayName": "Boss"}},
    }))
    .unwrap();
    let doc = &written.document;
    assert!(!doc.contains_key("id"));
    assert!(!doc.contains_key("meta"));
    assert!(!doc.contains_key("groups"));
    assert_eq!(
        doc[ENTERPRISE_USER_SCHEMA],
        json!({"manager": {"value": "m1"}})
    );
}

#[test]
fn password_is_extracted_from_the_document() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "userName": "bjensen",
        "PASSWORD": "t1meMa$heen",
    }))
    .unwrap();
    assert_eq!(written.password.as_deref(), Some("t1meMa$heen"));
    assert!(!written.document.contains_key("password"));
}

#[test]
fn password_must_be_a_string() {
    let detail = invalid_value(user(json!({
        "schemas": [USER_SCHEMA], "userName": "bjensen", "password": 1234,
    })));
    assert!(detail.contains("password"));
}

#[test]
fn unknown_attribute_is_rejected_everywhere() {
    let top = invalid_value(user(json!({
        "schemas": [USER_SCHEMA], "userName": "bjensen", "shoeSize": 42,
    })));
    assert!(top.contains("'shoeSize'"));

    let sub = invalid_value(user(json!({
        "schemas": [USER_SCHEMA], "userName": "bjensen", "name": {"nick": "B"},
    })));
    assert!(sub.contains("'name.nick'"));

    let ext = invalid_value(user(json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "userName": "bjensen",
        ENTERPRISE_USER_SCHEMA: {"badge": "x"},
    })));
    assert!(ext.contains(&format!("'{ENTERPRISE_USER_SCHEMA}:badge'")));

    let user_attr_on_group = invalid_value(group(json!({
        "schemas": [GROUP_SCHEMA], "displayName": "g", "userName": "x",
    })));
    assert!(user_attr_on_group.contains("'userName'"));
}

#[test]
fn wrong_types_are_rejected() {
    let cases = [
        (json!({"userName": 5}), "'userName' must be a string"),
        (json!({"active": "maybe"}), "'active' must be a boolean"),
        (
            json!({"emails": {"value": "b@x"}}),
            "'emails' is multi-valued",
        ),
        (
            json!({"name": "Barbara"}),
            "'name' must be a complex object",
        ),
        (
            json!({"displayName": ["a"]}),
            "'displayName' is single-valued",
        ),
        (
            json!({"x509Certificates": [{"value": "not base64!"}]}),
            "'x509Certificates.value' must be a base64",
        ),
    ];
    for (attrs, expected) in cases {
        let mut input = json!({"schemas": [USER_SCHEMA], "userName": "bjensen"});
        input
            .as_object_mut()
            .unwrap()
            .extend(attrs.as_object().unwrap().clone());
        let detail = invalid_value(user(input));
        assert!(detail.contains(expected), "{detail} lacks {expected}");
    }
}

#[test]
fn boolean_strings_are_accepted() {
    let written = user(json!({
        "schemas": [USER_SCHEMA], "userName": "bjensen", "active": "False",
    }))
    .unwrap();
    assert_eq!(written.document["active"], false);
}

#[test]
fn body_that_is_not_an_object_is_a_syntax_error() {
    invalid_syntax(user(json!([{"userName": "bjensen"}])));
}

#[test]
fn missing_or_malformed_schemas_are_rejected() {
    assert!(invalid_syntax(user(json!({"userName": "bjensen"}))).contains("'schemas'"));
    invalid_syntax(user(json!({"schemas": USER_SCHEMA, "userName": "bjensen"})));
    invalid_syntax(user(json!({"schemas": [1], "userName": "bjensen"})));
    let without_core = user(json!({"schemas": [ENTERPRISE_USER_SCHEMA], "userName": "bjensen"}));
    assert!(invalid_syntax(without_core).contains(USER_SCHEMA));
}

#[test]
fn unknown_schema_urn_is_rejected() {
    let detail = invalid_value(user(json!({
        "schemas": [USER_SCHEMA, "urn:example:custom"], "userName": "bjensen",
    })));
    assert!(detail.contains("urn:example:custom"));
    let extension_on_group = invalid_value(group(json!({
        "schemas": [GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA], "displayName": "g",
    })));
    assert!(extension_on_group.contains(ENTERPRISE_USER_SCHEMA));
}

#[test]
fn extension_urn_is_added_to_schemas_when_extension_present() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "userName": "bjensen",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": {"EmployeeNumber": "701984"},
    }))
    .unwrap();
    assert_eq!(
        written.document["schemas"],
        json!([USER_SCHEMA, ENTERPRISE_USER_SCHEMA])
    );
    assert_eq!(
        written.document[ENTERPRISE_USER_SCHEMA],
        json!({"employeeNumber": "701984"})
    );
}

#[test]
fn listed_extension_stays_in_schemas_without_attributes() {
    let written = user(json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA.to_uppercase()], "userName": "bjensen",
    }))
    .unwrap();
    assert_eq!(
        written.document["schemas"],
        json!([USER_SCHEMA, ENTERPRISE_USER_SCHEMA])
    );
    assert!(!written.document.contains_key(ENTERPRISE_USER_SCHEMA));
}

#[test]
fn urn_qualified_extension_attribute_joins_the_extension_object() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "userName": "bjensen",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Tour",
    }))
    .unwrap();
    assert_eq!(
        written.document[ENTERPRISE_USER_SCHEMA],
        json!({"department": "Tour"})
    );
}

#[test]
fn extension_must_be_an_object() {
    let detail = invalid_value(user(json!({
        "schemas": [USER_SCHEMA], "userName": "bjensen", ENTERPRISE_USER_SCHEMA: "x",
    })));
    assert!(detail.contains("must be an object"));
}

#[test]
fn user_name_is_required_and_must_not_be_blank() {
    let missing = invalid_value(user(json!({"schemas": [USER_SCHEMA], "displayName": "B"})));
    assert_eq!(missing, "attribute 'userName' is required");
    let blank = invalid_value(user(json!({"schemas": [USER_SCHEMA], "userName": "  "})));
    assert_eq!(blank, "attribute 'userName' is required");
    let null = invalid_value(user(json!({"schemas": [USER_SCHEMA], "userName": null})));
    assert_eq!(null, "attribute 'userName' is required");
}

#[test]
fn group_display_name_and_member_value_are_required() {
    let no_name = invalid_value(group(json!({"schemas": [GROUP_SCHEMA]})));
    assert!(no_name.contains("'displayName' is required"));
    let no_value = invalid_value(group(json!({
        "schemas": [GROUP_SCHEMA], "displayName": "g", "members": [{"type": "User"}],
    })));
    assert!(no_value.contains("'members.value' is required"));
}

#[test]
fn group_member_display_is_dropped() {
    let written = group(json!({
        "schemas": [GROUP_SCHEMA],
        "displayName": "g",
        "members": [{"value": "u1", "display": "Babs", "TYPE": "User"}],
    }))
    .unwrap();
    assert_eq!(
        written.document["members"],
        json!([{"value": "u1", "type": "User"}])
    );
}

#[test]
fn duplicate_primary_is_rejected() {
    let detail = invalid_value(user(json!({
        "schemas": [USER_SCHEMA],
        "userName": "bjensen",
        "emails": [{"value": "a@x", "primary": true}, {"value": "b@x", "primary": true}],
    })));
    assert!(detail.contains("'emails'"));
}

#[test]
fn null_and_empty_values_are_dropped() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "userName": "bjensen",
        "displayName": null,
        "emails": [],
        "name": {},
        ENTERPRISE_USER_SCHEMA: {},
    }))
    .unwrap();
    assert_eq!(
        Value::Object(written.document),
        json!({"schemas": [USER_SCHEMA], "userName": "bjensen"})
    );
}

#[test]
fn canonical_values_are_not_enforced() {
    let written = user(json!({
        "schemas": [USER_SCHEMA],
        "userName": "bjensen",
        "emails": [{"value": "a@x", "type": "vacation"}],
    }))
    .unwrap();
    assert_eq!(written.document["emails"][0]["type"], "vacation");
}

#[test]
fn the_same_attribute_in_two_spellings_is_a_syntax_error() {
    let detail = invalid_syntax(user(json!({
        "schemas": [USER_SCHEMA], "userName": "a", "USERNAME": "b",
    })));
    assert!(detail.contains("'userName'"));
}
