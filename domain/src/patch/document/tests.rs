//! add / replace / remove semantics on a stored user (RFC 7644 §3.5.2.1–3).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use crate::patch::test_support::{kind_of, patch_user, patched_user};
use crate::schema::kind::ENTERPRISE_USER_SCHEMA;

#[test]
fn add_dotted_path_sets_the_sub_attribute_and_keeps_the_others() {
    let user = patched_user(json!([{"op": "add", "path": "NAME.middleName", "value": "J"}]));
    assert_eq!(
        user["name"],
        json!({"givenName": "Barbara", "familyName": "Jensen", "middleName": "J"})
    );
}

#[test]
fn add_complex_value_merges_sub_attributes() {
    let user = patched_user(json!([{"op": "add", "path": "name", "value": {"givenName": "Babs"}}]));
    assert_eq!(
        user["name"],
        json!({"givenName": "Babs", "familyName": "Jensen"})
    );
}

#[test]
fn add_multi_valued_appends_and_does_not_duplicate_an_equal_value() {
    let user = patched_user(json!([{"op": "add", "path": "emails", "value": [
        {"value": "b@work.example", "type": "work", "primary": true},
        {"value": "b@home.example", "type": "home"},
    ]}]));
    assert_eq!(
        user["emails"],
        json!([
            {"value": "b@work.example", "type": "work", "primary": true},
            {"value": "b@home.example", "type": "home"},
        ])
    );
}

#[test]
fn add_primary_value_demotes_the_previous_primary() {
    let user = patched_user(json!([{"op": "add", "path": "emails", "value": [
        {"value": "b@home.example", "type": "home", "primary": true},
    ]}]));
    assert_eq!(user["emails"][0]["primary"], false);
    assert_eq!(user["emails"][1]["primary"], true);
}

#[test]
fn add_filtered_sub_path_sets_it_on_the_matching_value() {
    let user = patched_user(json!([
        {"op": "add", "path": "emails[type eq \"WORK\"].display", "value": "Work"}
    ]));
    assert_eq!(
        user["emails"],
        json!([{"value": "b@work.example", "type": "work", "primary": true, "display": "Work"}])
    );
}

#[test]
fn add_filtered_sub_path_creates_the_value_the_filter_describes_when_none_matches() {
    let user = patched_user(json!([
        {"op": "add", "path": "emails[type eq \"home\"].value", "value": "b@home.example"}
    ]));
    assert_eq!(
        user["emails"][1],
        json!({"type": "home", "value": "b@home.example"})
    );
}

#[test]
fn add_filtered_sub_path_with_a_filter_describing_no_value_is_no_target() {
    let result = patch_user(json!([
        {"op": "add", "path": "emails[type co \"ho\"].value", "value": "b@home.example"}
    ]));
    assert_eq!(kind_of(result), "NoTarget");
}

#[test]
fn replace_multi_valued_without_filter_replaces_all_values() {
    let user = patched_user(json!([
        {"op": "replace", "path": "emails", "value": [{"value": "new@example.com"}]}
    ]));
    assert_eq!(user["emails"], json!([{"value": "new@example.com"}]));
}

#[test]
fn replace_complex_attribute_keeps_sub_attributes_it_does_not_name() {
    let user =
        patched_user(json!([{"op": "replace", "path": "name", "value": {"familyName": "J"}}]));
    assert_eq!(
        user["name"],
        json!({"givenName": "Barbara", "familyName": "J"})
    );
}

#[test]
fn replace_filtered_merges_the_object_into_matching_values() {
    let user = patched_user(json!([
        {"op": "replace", "path": "emails[type eq \"work\"]", "value": {"value": "x@work.example"}}
    ]));
    assert_eq!(
        user["emails"],
        json!([{"value": "x@work.example", "type": "work", "primary": true}])
    );
}

#[test]
fn replace_filtered_sub_path_sets_the_sub_attribute_of_matching_values() {
    let user = patched_user(json!([
        {"op": "replace", "path": "emails[value eq \"b@work.example\"].type", "value": "other"}
    ]));
    assert_eq!(user["emails"][0]["type"], "other");
}

#[test]
fn replace_filtered_sub_path_matching_nothing_creates_the_value() {
    let user = patched_user(json!([
        {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555"}
    ]));
    assert_eq!(
        user["phoneNumbers"],
        json!([{"type": "mobile", "value": "+1 555"}])
    );
}

#[test]
fn replace_filtered_whole_values_matching_nothing_is_no_target() {
    let result = patch_user(json!([
        {"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "x"}}
    ]));
    assert_eq!(kind_of(result), "NoTarget");
}

#[test]
fn remove_attribute_removes_it_and_absent_attribute_is_a_no_op() {
    let user = patched_user(json!([
        {"op": "remove", "path": "emails"},
        {"op": "remove", "path": "nickName"},
    ]));
    assert!(user.get("emails").is_none());
    assert_eq!(user["userName"], "bjensen");
}

#[test]
fn remove_last_sub_attribute_drops_the_complex_attribute() {
    let user = patched_user(json!([
        {"op": "remove", "path": "name.givenName"},
        {"op": "remove", "path": "name.familyName"},
    ]));
    assert!(user.get("name").is_none());
}

#[test]
fn remove_filtered_removes_only_the_matching_values() {
    let user = patched_user(json!([
        {"op": "add", "path": "emails", "value": [{"value": "b@home.example", "type": "home"}]},
        {"op": "remove", "path": "emails[type eq \"work\"]"},
    ]));
    assert_eq!(
        user["emails"],
        json!([{"value": "b@home.example", "type": "home"}])
    );
}

#[test]
fn remove_filtered_matching_nothing_is_no_target() {
    let result = patch_user(json!([{"op": "remove", "path": "emails[type eq \"home\"]"}]));
    assert_eq!(kind_of(result), "NoTarget");
    let absent = patch_user(json!([{"op": "remove", "path": "ims[type eq \"aim\"]"}]));
    assert_eq!(kind_of(absent), "NoTarget");
}

#[test]
fn remove_filtered_sub_path_removes_the_sub_attribute_from_matching_values() {
    let user = patched_user(json!([{"op": "remove", "path": "emails[type eq \"work\"].primary"}]));
    assert_eq!(
        user["emails"],
        json!([{"value": "b@work.example", "type": "work"}])
    );
}

#[test]
fn remove_with_a_value_list_removes_only_the_listed_values() {
    let user = patched_user(json!([
        {"op": "add", "path": "emails", "value": [{"value": "b@home.example"}]},
        {"op": "remove", "path": "emails", "value": [{"value": "B@WORK.example"}]},
    ]));
    assert_eq!(user["emails"], json!([{"value": "b@home.example"}]));
}

#[test]
fn extension_attribute_paths_write_inside_the_extension_object() {
    let user = patched_user(json!([
        {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "R&D"},
        {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "value": "m-1"},
        {"op": "add", "path": "costCenter", "value": "4130"},
    ]));
    assert_eq!(
        user[ENTERPRISE_USER_SCHEMA],
        json!({"department": "R&D", "employeeNumber": "42", "manager": {"value": "m-1"}, "costCenter": "4130"})
    );
}

#[test]
fn patched_attributes_keep_their_place_in_the_document() {
    let user = patched_user(json!([
        {"op": "add", "path": "emails[type eq \"work\"].display", "value": "W"},
        {"op": "replace", "path": "department", "value": "Ops"},
    ]));
    let keys: Vec<&String> = user.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "userName",
            "name",
            "emails",
            ENTERPRISE_USER_SCHEMA,
            "schemas"
        ]
    );
}
