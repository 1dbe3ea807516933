//! Group `members` operations become a [`MembershipChange`] and leave the document alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;
use crate::filter::{AttrPath, parse};
use crate::patch::test_support::{kind_of, patch_group, stored_group};

const A: &str = "0196f3c2-0000-7000-8000-00000000000a";
const B: &str = "0196f3c2-0000-7000-8000-00000000000b";

fn id(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap()
}

fn change(operations: Value) -> MembershipChange {
    let outcome = patch_group(operations).unwrap();
    assert_eq!(
        outcome.document,
        stored_group(),
        "members never enter the document"
    );
    outcome.membership
}

#[test]
fn add_members_adds_their_ids() {
    let change = change(json!([{"op": "add", "path": "members", "value": [
        {"value": A, "display": "Alice"}, {"VALUE": B},
    ]}]));
    assert_eq!(change.add, [id(A), id(B)]);
    assert!(!change.clear);
}

#[test]
fn add_member_that_is_not_an_id_is_invalid_value() {
    let result =
        patch_group(json!([{"op": "add", "path": "members", "value": [{"value": "bob"}]}]));
    assert!(matches!(
        result,
        Err(DomainError::InvalidValue(d)) if d == "member 'bob' is not a resource of this tenant"
    ));
    let no_value =
        patch_group(json!([{"op": "add", "path": "members", "value": [{"display": "x"}]}]));
    assert_eq!(kind_of(no_value), "InvalidValue");
}

#[test]
fn replace_members_clears_then_adds() {
    let change = change(json!([
        {"op": "remove", "path": format!("members[value eq \"{B}\"]")},
        {"op": "replace", "path": "members", "value": [{"value": A}]},
    ]));
    assert_eq!(
        change,
        MembershipChange {
            clear: true,
            add: vec![id(A)],
            ..Default::default()
        }
    );
}

#[test]
fn remove_members_without_value_clears_them_all() {
    let change = change(json!([{"op": "remove", "path": "members"}]));
    assert!(change.clear && change.add.is_empty());
}

#[test]
fn remove_member_by_value_filter_keeps_other_members() {
    let change = change(json!([{"op": "remove", "path": format!(
        "members[value eq \"{A}\" or VALUE eq \"{B}\"]"
    )}]));
    assert_eq!(change.remove, [id(A), id(B)]);
    assert!(!change.clear && change.remove_matching.is_empty());
}

#[test]
fn remove_member_by_filter_on_a_non_id_value_is_no_target() {
    let result = patch_group(json!([{"op": "remove", "path": "members[value eq \"bob\"]"}]));
    assert_eq!(kind_of(result), "NoTarget");
}

#[test]
fn remove_members_by_other_filter_keeps_the_resolved_filter() {
    let change = change(json!([{"op": "remove", "path": "members[TYPE eq \"Group\"]"}]));
    assert_eq!(change.remove_matching.len(), 1);
    assert_eq!(
        change.remove_matching[0].value_filter(),
        Some(&parse("type eq \"Group\"").unwrap())
    );
    let Some(Filter::Compare { path, .. }) = change.remove_matching[0].value_filter() else {
        panic!("not a comparison");
    };
    assert_eq!(*path, AttrPath::simple("type"));
}

#[test]
fn remove_members_with_a_value_list_removes_those_ids() {
    let change = change(json!([{"op": "Remove", "path": "members", "value": [{"value": A}]}]));
    assert_eq!(change.remove, [id(A)]);
}

#[test]
fn add_then_remove_of_the_same_member_cancels_the_add() {
    let change = change(json!([
        {"op": "add", "path": "members", "value": [{"value": A}, {"value": B}]},
        {"op": "remove", "path": format!("members[value eq \"{A}\"]")},
    ]));
    assert_eq!(change.add, [id(B)]);
    assert_eq!(change.remove, [id(A)]);
}

#[test]
fn no_path_value_with_members_changes_membership() {
    let change = change(json!([{"op": "add", "value": {"members": [{"value": A}]}}]));
    assert_eq!(change.add, [id(A)]);
}

#[test]
fn member_sub_attributes_cannot_be_changed_in_place() {
    for path in [
        format!("members[value eq \"{A}\"].display"),
        format!("members[value eq \"{A}\"].type"),
        "members.value".to_owned(),
    ] {
        let result = patch_group(json!([{"op": "replace", "path": path, "value": "x"}]));
        assert_eq!(kind_of(result), "Mutability", "{path}");
    }
}

#[test]
fn empty_change_says_so() {
    assert!(MembershipChange::default().is_empty());
    let rename = patch_group(json!([{"op": "replace", "path": "displayName", "value": "x"}]));
    assert!(rename.unwrap().membership.is_empty());
}
