//! Whole requests as identity providers send them, and the errors a client can cause.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};

use super::test_support::{
    REGISTRY, kind_of, object, patch, patch_group, patch_user, patched_user, stored_group,
    stored_user,
};
use super::*;
use crate::error::DomainError;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};

const MEMBER: &str = "0196f3c2-0000-7000-8000-00000000000a";

#[test]
fn entra_empty_operations_array_changes_nothing() {
    let outcome = patch_user(json!([])).unwrap();
    assert_eq!(outcome.document, stored_user());
    assert_eq!(outcome.password, None);
    assert!(outcome.membership.is_empty());
}

#[test]
fn entra_capitalised_ops_and_false_string_are_understood() {
    let user = patched_user(json!([
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "path": "title", "value": "Engineer"},
        {"op": "Remove", "path": "nickName"},
    ]));
    assert_eq!(user["active"], false);
    assert_eq!(user["title"], "Engineer");
}

#[test]
fn entra_add_on_a_set_single_valued_attribute_replaces_it() {
    let user = patched_user(json!([
        {"op": "Add", "path": "userName", "value": "barbara@example.com"},
        {"op": "Add", "path": "name.givenName", "value": "Babs"},
    ]));
    assert_eq!(user["userName"], "barbara@example.com");
    assert_eq!(user["name"]["givenName"], "Babs");
}

/// Entra ID role provisioning quotes the boolean: the filter must select the primary role as
/// a search would, not create a second primary one.
#[test]
fn entra_quoted_boolean_in_a_path_filter_selects_the_primary_role() {
    let mut current = stored_user();
    current.insert(
        "roles".into(),
        json!([{"value": "Admin", "primary": true}, {"value": "Guest", "primary": false}]),
    );
    let outcome = patch(
        ResourceKind::User,
        &current,
        json!([
            {"op": "Replace", "path": "roles[primary eq \"True\"].value", "value": "User"},
            {"op": "Remove", "path": "roles[primary eq \"False\"]"},
            {"op": "Replace", "path": "title", "value": "Engineer"},
        ]),
    )
    .unwrap();
    assert_eq!(
        outcome.document["roles"],
        json!([{"value": "User", "primary": true}])
    );
    assert_eq!(outcome.document["title"], "Engineer");
}

#[test]
fn entra_filtered_path_creates_an_element_and_a_second_op_completes_it() {
    let mut current = stored_user();
    current.shift_remove("emails");
    let outcome = patch(
        ResourceKind::User,
        &current,
        json!([
            {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "b@work.example"},
            {"op": "Add", "path": "emails[type eq \"work\"].primary", "value": "True"},
            {"op": "Add", "path": "addresses[type eq \"work\"].locality", "value": "Hollywood"},
            {"op": "Add", "path": "addresses[type eq \"work\"].country", "value": "USA"},
        ]),
    )
    .unwrap();
    assert_eq!(
        outcome.document["emails"],
        json!([{"type": "work", "value": "b@work.example", "primary": true}])
    );
    assert_eq!(
        outcome.document["addresses"],
        json!([{"type": "work", "locality": "Hollywood", "country": "USA"}])
    );
}

#[test]
fn entra_manager_sent_as_a_bare_id_becomes_its_value() {
    let user = patched_user(json!([{
        "op": "Add",
        "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "value": "26118915-6090-4610-87e4-49d8ca9f808d",
    }]));
    assert_eq!(
        user[ENTERPRISE_USER_SCHEMA]["manager"],
        json!({"value": "26118915-6090-4610-87e4-49d8ca9f808d"})
    );
    let as_object = patched_user(json!([{
        "op": "replace",
        "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "value": {"value": "m-2", "displayName": "Boss"},
    }]));
    assert_eq!(
        as_object[ENTERPRISE_USER_SCHEMA]["manager"],
        json!({"value": "m-2"})
    );
}

#[test]
fn entra_member_removal_by_value_array_removes_those_members() {
    let outcome = patch_group(json!([
        {"op": "Remove", "path": "members", "value": [{"value": MEMBER}]}
    ]))
    .unwrap();
    assert_eq!(
        outcome.membership.remove,
        [uuid::Uuid::parse_str(MEMBER).unwrap()]
    );
    assert!(!outcome.membership.clear);
}

#[test]
fn okta_no_path_replace_of_active_deactivates_the_user() {
    let user = patched_user(json!([{"op": "replace", "value": {"active": false}}]));
    assert_eq!(user["active"], false);
    assert_eq!(user["userName"], "bjensen");
}

#[test]
fn okta_group_rename_with_read_only_id_inside_renames_the_group() {
    let outcome = patch_group(json!([{"op": "replace", "value": {
        "id": "8b1e7f5a-0000-7000-8000-000000000001", "displayName": "Operators",
    }}]))
    .unwrap();
    assert_eq!(
        Value::Object(outcome.document),
        json!({"schemas": [GROUP_SCHEMA], "displayName": "Operators"})
    );
    assert!(outcome.membership.is_empty());
}

#[test]
fn okta_no_path_replace_with_members_renames_and_replaces_members() {
    let outcome = patch_group(json!([{"op": "replace", "value": {
        "id": "8b1e7f5a-0000-7000-8000-000000000001",
        "displayName": "Operators",
        "members": [{"value": MEMBER, "display": "Alice"}],
    }}]))
    .unwrap();
    assert_eq!(outcome.document["displayName"], "Operators");
    assert!(outcome.membership.clear);
    assert_eq!(
        outcome.membership.add,
        [uuid::Uuid::parse_str(MEMBER).unwrap()]
    );
}

#[test]
fn unknown_path_is_invalid_path() {
    for path in [
        "nope",
        "name.nope",
        "members",
        "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
    ] {
        let result = patch_user(json!([{"op": "add", "path": path, "value": "x"}]));
        assert_eq!(kind_of(result), "InvalidPath", "{path}");
    }
    let no_path_key = patch_user(json!([{"op": "add", "value": {"nope": "x"}}]));
    assert_eq!(kind_of(no_path_key), "InvalidPath");
}

#[test]
fn remove_without_path_is_no_target() {
    assert_eq!(kind_of(patch_user(json!([{"op": "remove"}]))), "NoTarget");
}

#[test]
fn remove_with_a_filter_matching_nothing_is_no_target() {
    let result = patch_user(json!([{"op": "remove", "path": "emails[value eq \"x@y\"]"}]));
    assert_eq!(kind_of(result), "NoTarget");
}

#[test]
fn read_only_path_is_a_mutability_error() {
    let result = patch_user(json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}]));
    assert_eq!(kind_of(result), "Mutability");
    let group_id = patch_group(json!([{"op": "replace", "path": "id", "value": "x"}]));
    assert_eq!(kind_of(group_id), "Mutability");
}

#[test]
fn wrong_value_type_is_invalid_value() {
    for (path, value) in [
        ("active", json!("yes")),
        ("userName", json!(5)),
        ("emails", json!([5])),
        ("name", json!(["x"])),
        ("emails[type eq \"work\"]", json!("x")),
    ] {
        let result = patch_user(json!([{"op": "replace", "path": path, "value": value}]));
        assert_eq!(kind_of(result), "InvalidValue", "{path}");
    }
}

#[test]
fn removing_a_required_attribute_is_invalid_value() {
    assert_eq!(
        kind_of(patch_user(json!([{"op": "remove", "path": "userName"}]))),
        "InvalidValue"
    );
    assert_eq!(
        kind_of(patch_group(
            json!([{"op": "remove", "path": "displayName"}])
        )),
        "InvalidValue"
    );
}

#[test]
fn two_primaries_written_at_once_are_invalid_value() {
    let result = patch_user(json!([{"op": "replace", "path": "emails", "value": [
        {"value": "a@x", "primary": true}, {"value": "b@x", "primary": true},
    ]}]));
    assert_eq!(kind_of(result), "InvalidValue");
}

#[test]
fn missing_schemas_is_invalid_syntax() {
    let body = json!({"Operations": [{"op": "add", "path": "title", "value": "x"}]});
    assert_eq!(kind_of(parse_patch(&body, 10)), "InvalidSyntax");
}

#[test]
fn too_many_operations_is_refused_before_any_is_applied() {
    let op = json!({"op": "add", "path": "title", "value": "x"});
    let body = json!({"schemas": [PATCH_OP_SCHEMA], "Operations": [op, op]});
    assert!(
        matches!(parse_patch(&body, 1), Err(DomainError::InvalidValue(d)) if d.contains("max 1"))
    );
}

#[test]
fn a_failing_operation_fails_the_whole_patch() {
    let body = json!({"schemas": [PATCH_OP_SCHEMA], "Operations": [
        {"op": "replace", "path": "title", "value": "CEO"},
        {"op": "replace", "path": "nope", "value": "x"},
    ]});
    let request = parse_patch(&body, 10).unwrap();
    let current = stored_user();
    let result = apply_patch(&REGISTRY, ResourceKind::User, &current, &request);
    assert_eq!(kind_of(result), "InvalidPath");
}

#[test]
fn first_extension_attribute_lists_the_extension_after_the_core_schema() {
    let current = object(json!({"schemas": [USER_SCHEMA], "userName": "u"}));
    let outcome = patch(
        ResourceKind::User,
        &current,
        json!([{"op": "add", "path": "department", "value": "Ops"}]),
    )
    .unwrap();
    assert_eq!(
        outcome.document["schemas"],
        json!([USER_SCHEMA, ENTERPRISE_USER_SCHEMA])
    );
    assert_eq!(
        outcome.document[ENTERPRISE_USER_SCHEMA],
        json!({"department": "Ops"})
    );
}

#[test]
fn patched_group_document_stays_canonical() {
    let outcome =
        patch_group(json!([{"op": "add", "path": "DISPLAYNAME", "value": "Ops"}])).unwrap();
    let mut expected = stored_group();
    expected.insert("displayName".to_owned(), json!("Ops"));
    assert_eq!(outcome.document, expected);
}

#[test]
fn schemas_echoed_inside_an_extension_value_is_ignored() {
    let user = patched_user(json!([{
        "op": "add",
        "path": ENTERPRISE_USER_SCHEMA,
        "value": {"schemas": [ENTERPRISE_USER_SCHEMA], "employeeNumber": "42"},
    }]));
    assert_eq!(user[ENTERPRISE_USER_SCHEMA]["employeeNumber"], "42");
}
