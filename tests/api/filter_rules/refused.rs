//! Filters resolution refuses: the same `invalidFilter`, with the same detail, from a search,
//! a PATCH path and a policy's row filter.

use serde_json::json;

use super::{patch_refusal, refused_by_search_and_policy, search_refusal};
use crate::helpers::{id, spawn_tenant};

#[tokio::test]
async fn server_attribute_filters_are_refused_alike_in_searches_and_row_filters() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;

    for (filter, expected) in [
        (r#"id gt "a""#, "'gt' is not supported on id"),
        (r#"id sw "0""#, "'sw' is not supported on id"),
        (
            r#"meta.version ge "W/\"1\"""#,
            "'ge' is not supported on meta.version",
        ),
        (
            r#"meta.version co "1""#,
            "'co' is not supported on meta.version",
        ),
        (
            r#"meta.resourceType gt "A""#,
            "'gt' is not supported on meta.resourceType",
        ),
        ("meta.location pr", "meta.location cannot be filtered on"),
        (
            r#"meta.location eq "https://example.com/""#,
            "meta.location cannot be filtered on",
        ),
        ("meta pr", "meta cannot be filtered on"),
        ("meta[created pr]", "meta cannot be filtered on"),
        (
            r#"meta.lastModified gt "yesterday""#,
            "'meta.lastModified' is a dateTime attribute: compare it with a quoted RFC 3339 dateTime",
        ),
        (
            r#"meta.created eq "2011-13-01T00:00:00Z""#,
            "'meta.created' is a dateTime attribute: compare it with a quoted RFC 3339 dateTime",
        ),
        ("id gt null", "'gt' cannot compare with null"),
    ] {
        for path in [("Users", "userFilter"), ("Groups", "groupFilter")] {
            refused_by_search_and_policy(&app, &acme, path, filter, expected, true).await;
        }
    }
}

#[tokio::test]
async fn membership_filters_are_refused_alike_in_searches_patch_paths_and_row_filters() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let group = id(&app.create_group(&acme, "Admins", &[&ada]).await);

    for (bracket, expected) in [
        (
            r#"display eq "ada""#,
            "members.display cannot be filtered on",
        ),
        // Rendered only for members with a name: the member table cannot answer it.
        ("display pr", "members.display cannot be filtered on"),
        (r#"value sw "0""#, "'sw' is not supported on members.value"),
        (r#"type gt "User""#, "'gt' is not supported on members.type"),
        (r#"$ref ne "x""#, "'ne' is not supported on members.$ref"),
        (
            r#"type eq "User" and display co "a""#,
            "members.display cannot be filtered on",
        ),
    ] {
        let filter = format!("members[{bracket}]");
        let path = ("Groups", "groupFilter");
        refused_by_search_and_policy(&app, &acme, path, &filter, expected, false).await;
        let remove = json!([{"op": "remove", "path": filter}]);
        let patched = patch_refusal(&app, &acme, &format!("/Groups/{group}"), remove).await;
        assert_eq!(patched, expected, "PATCH {filter}");
    }
    let unchanged = app.get_json(&acme, &format!("/Groups/{group}")).await;
    assert_eq!(unchanged["members"][0]["value"], ada.as_str());

    for (filter, expected) in [
        (
            r#"groups.type eq "direct""#,
            "'eq' is not supported on groups.type",
        ),
        (
            r#"groups[display co "Adm"]"#,
            "groups.display cannot be filtered on",
        ),
        (
            r#"groups.value gt "0""#,
            "'gt' is not supported on groups.value",
        ),
    ] {
        let path = ("Users", "userFilter");
        refused_by_search_and_policy(&app, &acme, path, filter, expected, false).await;
    }
}

#[tokio::test]
async fn null_ordering_in_a_value_filter_is_refused_alike_in_a_search_and_a_patch_path() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);

    for bracket in [r#"value gt null"#, r#"type co null"#] {
        let filter = format!("emails[{bracket}]");
        let searched = search_refusal(&app, &acme, "Users", &filter, false).await;
        let replace = json!([{"op": "replace", "path": format!("{filter}.display"), "value": "x"}]);
        let patched = patch_refusal(&app, &acme, &format!("/Users/{ada}"), replace).await;
        assert_eq!(patched, searched, "PATCH {filter}");
    }
}
