#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;
use crate::patch::test_support::kind_of;

fn body(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations})
}

fn parsed(operations: Value) -> Vec<PatchOperation> {
    parse_patch(&body(operations), 10).unwrap().operations
}

#[test]
fn empty_operations_array_is_a_valid_no_op() {
    assert_eq!(parsed(json!([])), []);
}

#[test]
fn capitalised_ops_and_member_names_are_accepted() {
    let body = json!({
        "SCHEMAS": ["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],
        "operations": [
            {"op": "Add", "path": "title", "value": "Boss"},
            {"OP": "Replace", "Path": "active", "Value": "False"},
            {"op": "REMOVE", "path": "nickName"},
        ],
    });
    let operations = parse_patch(&body, 10).unwrap().operations;
    assert!(
        matches!(&operations[0], PatchOperation::Add { path: Some(p), value }
        if p.to_string() == "title" && value == "Boss")
    );
    assert!(matches!(&operations[1], PatchOperation::Replace { value, .. } if value == "False"));
    assert!(
        matches!(&operations[2], PatchOperation::Remove { path, value: None }
        if path.to_string() == "nickName")
    );
}

#[test]
fn missing_path_or_empty_path_means_the_resource() {
    let operations = parsed(json!([
        {"op": "replace", "value": {"active": false}},
        {"op": "add", "path": "", "value": {"title": "x"}},
    ]));
    assert!(operations.iter().all(|op| matches!(
        op,
        PatchOperation::Replace { path: None, .. } | PatchOperation::Add { path: None, .. }
    )));
}

#[test]
fn missing_or_wrong_schemas_is_invalid_syntax() {
    let no_schemas = json!({"Operations": []});
    assert_eq!(kind_of(parse_patch(&no_schemas, 10)), "InvalidSyntax");
    let wrong =
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": []});
    assert_eq!(kind_of(parse_patch(&wrong, 10)), "InvalidSyntax");
    assert_eq!(kind_of(parse_patch(&json!([]), 10)), "InvalidSyntax");
}

#[test]
fn operations_must_be_an_array_of_objects_with_a_known_op() {
    let not_array = json!({"schemas": [PATCH_OP_SCHEMA], "Operations": {}});
    assert_eq!(kind_of(parse_patch(&not_array, 10)), "InvalidSyntax");
    for operations in [
        json!(["add"]),
        json!([{"path": "title", "value": "x"}]),
        json!([{"op": "move", "path": "title", "value": "x"}]),
    ] {
        assert_eq!(kind_of(parse_patch(&body(operations), 10)), "InvalidSyntax");
    }
}

#[test]
fn too_many_operations_is_invalid_value_naming_the_limit() {
    let op = json!({"op": "add", "path": "title", "value": "x"});
    let result = parse_patch(&body(json!([op, op, op])), 2);
    assert!(
        matches!(result, Err(DomainError::InvalidValue(d)) if d == "too many operations (max 2)")
    );
    assert!(parse_patch(&body(json!([op, op])), 2).is_ok());
}

#[test]
fn remove_without_path_is_no_target() {
    let result = parse_patch(&body(json!([{"op": "remove"}])), 10);
    assert_eq!(kind_of(result), "NoTarget");
}

#[test]
fn add_or_replace_without_value_is_invalid_syntax() {
    for op in ["add", "replace"] {
        let result = parse_patch(&body(json!([{"op": op, "path": "title"}])), 10);
        assert_eq!(kind_of(result), "InvalidSyntax", "{op}");
        let null = parse_patch(
            &body(json!([{"op": op, "path": "title", "value": null}])),
            10,
        );
        assert_eq!(kind_of(null), "InvalidSyntax", "{op} null");
    }
}

#[test]
fn malformed_or_non_string_path_is_invalid_path() {
    for path in [json!("user name"), json!(3)] {
        let result = parse_patch(&body(json!([{"op": "remove", "path": path}])), 10);
        assert_eq!(kind_of(result), "InvalidPath", "{path}");
    }
}

#[test]
fn remove_keeps_its_value_list() {
    let operations = parsed(json!([
        {"op": "Remove", "path": "members", "value": [{"value": "a"}]}
    ]));
    assert!(
        matches!(&operations[0], PatchOperation::Remove { value: Some(v), .. }
        if *v == json!([{"value": "a"}]))
    );
}
