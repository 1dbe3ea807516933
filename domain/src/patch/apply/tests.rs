//! Routing of targets: whole extensions, no-path values, readOnly attributes, the password.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use crate::patch::test_support::{kind_of, patch_user, patched_user};
use crate::schema::kind::ENTERPRISE_USER_SCHEMA;

#[test]
fn replace_whole_extension_writes_the_named_attributes_and_keeps_the_others() {
    let user = patched_user(json!([{
        "op": "replace",
        "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "value": {"Department": "Legal"},
    }]));
    assert_eq!(
        user[ENTERPRISE_USER_SCHEMA],
        json!({"department": "Legal", "employeeNumber": "42"})
    );
}

#[test]
fn remove_whole_extension_drops_it_from_document_and_schemas() {
    let user = patched_user(json!([{
        "op": "remove",
        "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    }]));
    assert!(user.get(ENTERPRISE_USER_SCHEMA).is_none());
    assert_eq!(
        user["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
}

#[test]
fn removing_the_last_extension_attribute_unlists_the_extension() {
    let user = patched_user(json!([
        {"op": "remove", "path": "department"},
        {"op": "remove", "path": "employeeNumber"},
    ]));
    assert!(user.get(ENTERPRISE_USER_SCHEMA).is_none());
    assert_eq!(
        user["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
}

#[test]
fn no_path_add_takes_dotted_urn_qualified_and_nested_extension_keys() {
    let user = patched_user(json!([{"op": "add", "value": {
        "name.honorificPrefix": "Ms.",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division": "EMEA",
        ENTERPRISE_USER_SCHEMA: {"organization": "Acme"},
        "emails": [{"value": "b@home.example"}],
    }}]));
    assert_eq!(user["name"]["honorificPrefix"], "Ms.");
    assert_eq!(user[ENTERPRISE_USER_SCHEMA]["division"], "EMEA");
    assert_eq!(user[ENTERPRISE_USER_SCHEMA]["organization"], "Acme");
    assert_eq!(user[ENTERPRISE_USER_SCHEMA]["department"], "Sales");
    assert_eq!(user["emails"].as_array().map(Vec::len), Some(2));
}

#[test]
fn no_path_replace_replaces_each_named_attribute() {
    let user = patched_user(json!([{"op": "replace", "value": {
        "emails": [{"value": "only@example.com"}],
        "title": "CEO",
    }}]));
    assert_eq!(user["emails"], json!([{"value": "only@example.com"}]));
    assert_eq!(user["title"], "CEO");
}

#[test]
fn no_path_value_ignores_read_only_keys() {
    let user = patched_user(json!([{"op": "replace", "value": {
        "id": "not-mine", "meta": {"version": "W/\"1\""}, "groups": [{"value": "g"}],
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "nickName": "Babs",
    }}]));
    assert_eq!(user["nickName"], "Babs");
    assert!(user.get("id").is_none() && user.get("meta").is_none() && user.get("groups").is_none());
}

#[test]
fn explicit_read_only_path_is_a_mutability_error() {
    for path in [
        "id",
        "meta.version",
        "groups",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
    ] {
        let result = patch_user(json!([{"op": "replace", "path": path, "value": "x"}]));
        assert_eq!(kind_of(result), "Mutability", "{path}");
    }
    let remove = patch_user(json!([{"op": "remove", "path": "groups"}]));
    assert_eq!(kind_of(remove), "Mutability");
}

#[test]
fn password_goes_to_the_outcome_and_never_into_the_document() {
    let by_path =
        patch_user(json!([{"op": "replace", "path": "password", "value": "s3cret!"}])).unwrap();
    assert_eq!(by_path.password.as_deref(), Some("s3cret!"));
    assert!(!by_path.document.contains_key("password"));
    let no_path = patch_user(json!([{"op": "replace", "value": {"PASSWORD": "other"}}])).unwrap();
    assert_eq!(no_path.password.as_deref(), Some("other"));
    assert!(!no_path.document.contains_key("password"));
    let bad = patch_user(json!([{"op": "replace", "path": "password", "value": 42}]));
    assert_eq!(kind_of(bad), "InvalidValue");
}

#[test]
fn removing_the_password_is_accepted_and_changes_nothing() {
    let outcome = patch_user(json!([{"op": "remove", "path": "password"}])).unwrap();
    assert_eq!(outcome.password, None);
    assert!(!outcome.document.contains_key("password"));
}

#[test]
fn boolean_strings_become_booleans_in_paths_and_values() {
    let user = patched_user(json!([
        {"op": "replace", "path": "active", "value": "False"},
        {"op": "add", "path": "emails[type eq \"work\"].primary", "value": "TRUE"},
    ]));
    assert_eq!(user["active"], false);
    assert_eq!(user["emails"][0]["primary"], true);
}

#[test]
fn null_value_in_a_no_path_object_unassigns_the_attribute() {
    let user = patched_user(json!([{"op": "replace", "value": {"name": null}}]));
    assert!(user.get("name").is_none());
}

#[test]
fn null_extension_in_a_no_path_value_removes_the_extension() {
    let user = patched_user(json!([{"op": "replace", "value": {ENTERPRISE_USER_SCHEMA: null}}]));
    assert!(user.get(ENTERPRISE_USER_SCHEMA).is_none());
}
