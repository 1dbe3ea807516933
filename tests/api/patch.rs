//! PATCH over HTTP (RFC 7644 §3.5.2): atomic operations, what Entra ID and Okta really send,
//! conditional requests, and group membership that never loses concurrent additions.

use serde_json::json;

use crate::helpers::{
    ENTERPRISE, assert_scim_error, etag, id, json_ok, member_ids, patch_op, path_of, send,
    spawn_tenant, spawn_with_user,
};

#[tokio::test]
async fn entra_style_patch_of_a_user_works_end_to_end() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let manager = app.create_user(&acme, "boss").await;
    let path = path_of(&ada);

    let response = app
        .patch(
            &acme,
            &path,
            json!([
                {"op": "Replace", "path": "active", "value": "False"},
                {"op": "Add", "path": "title", "value": "Engineer"},
                {"op": "Add", "path": "title", "value": "Countess"},
                {"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555"},
                {"op": "Add", "path": "phoneNumbers[type eq \"work\"].primary", "value": true},
                {"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": manager["id"]},
                {"op": "Replace", "path": format!("{ENTERPRISE}:department"), "value": "R&D"},
            ]),
        )
        .await;

    assert_eq!(response.status(), 200);
    let etag = etag(&response);
    let patched = json_ok(response).await;
    assert_eq!(patched["active"], false);
    assert_eq!(patched["title"], "Countess");
    assert_eq!(
        patched["phoneNumbers"],
        json!([{"type": "work", "value": "+1 555", "primary": true}])
    );
    assert_eq!(patched[ENTERPRISE]["manager"]["value"], manager["id"]);
    assert_eq!(patched[ENTERPRISE]["department"], "R&D");
    assert_eq!(patched["meta"]["version"], etag);
    assert_ne!(etag, ada["meta"]["version"].as_str().unwrap());
    assert_eq!(app.get_json(&acme, &path).await, patched);
}

#[tokio::test]
async fn okta_style_no_path_replace_deactivates_a_user() {
    let (app, acme, _, path) = spawn_with_user("ada").await;

    let response = app
        .patch(
            &acme,
            &path,
            json!([{"op": "replace", "value": {"active": false}}]),
        )
        .await;

    assert_eq!(response.status(), 200);
    let fetched = app.get_json(&acme, &path).await;
    assert_eq!(fetched["active"], false);
    assert_eq!(fetched["userName"], "ada");
}

#[tokio::test]
async fn a_failing_operation_leaves_the_resource_untouched() {
    let (app, acme, ada, path) = spawn_with_user("ada").await;

    let response = app
        .patch(
            &acme,
            &path,
            json!([
                {"op": "replace", "path": "title", "value": "Changed"},
                {"op": "replace", "path": "shoeSize", "value": 44},
            ]),
        )
        .await;

    assert_scim_error(response, 400, Some("invalidPath")).await;
    assert_eq!(app.get_json(&acme, &path).await, ada);
}

#[tokio::test]
async fn patch_errors_carry_the_rfc_scim_types() {
    let (app, acme, _, path) = spawn_with_user("ada").await;
    let cases = [
        (json!([{"op": "remove"}]), "noTarget"),
        (
            json!([{"op": "remove", "path": "emails[type eq \"fax\"]"}]),
            "noTarget",
        ),
        (
            json!([{"op": "replace", "path": "id", "value": "x"}]),
            "mutability",
        ),
        (
            json!([{"op": "replace", "path": "active", "value": 7}]),
            "invalidValue",
        ),
        (
            json!([{"op": "jump", "path": "active", "value": true}]),
            "invalidSyntax",
        ),
        (
            json!([{"op": "replace", "path": "emails[type eq]", "value": "x"}]),
            "invalidFilter",
        ),
    ];

    for (operations, scim_type) in cases {
        let response = app.patch(&acme, &path, operations.clone()).await;
        assert_eq!(response.status(), 400, "{operations}");
        assert_scim_error(response, 400, Some(scim_type)).await;
    }
    let missing_schema = send(app.patch_request(&acme, &path, &json!({"Operations": []}))).await;
    assert_scim_error(missing_schema, 400, Some("invalidSyntax")).await;
}

#[tokio::test]
async fn patch_with_a_stale_if_match_is_412_and_an_empty_patch_changes_nothing() {
    let (app, acme, ada, path) = spawn_with_user("ada").await;

    let title = patch_op(json!([{"op": "replace", "path": "title", "value": "x"}]));
    let stale = send(
        app.patch_request(&acme, &path, &title)
            .header("If-Match", "W/\"99\""),
    )
    .await;
    let empty = app.patch(&acme, &path, json!([])).await;

    assert_scim_error(stale, 412, None).await;
    assert_eq!(empty.status(), 200);
    assert_eq!(
        json_ok(empty).await["meta"]["version"],
        ada["meta"]["version"]
    );
}

#[tokio::test]
async fn group_membership_patches_add_and_remove_only_the_named_members() {
    let (app, acme) = spawn_tenant("acme").await;
    let mut ids = Vec::new();
    for name in ["a", "b", "c", "d"] {
        ids.push(id(&app.create_user(&acme, name).await));
    }
    let group = app.create_group(&acme, "Team", &[&ids[0], &ids[1]]).await;
    let path = path_of(&group);

    let added = app.patch(&acme,
        &path,
        json!([{"op": "Add", "path": "members", "value": [{"value": ids[2]}, {"value": ids[3]}]}]))
    .await;
    let removed_by_filter = app
        .patch(
            &acme,
            &path,
            json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", ids[0])}]),
        )
        .await;
    let removed_by_value = app
        .patch(
            &acme,
            &path,
            json!([{"op": "Remove", "path": "members", "value": [{"value": ids[2]}]}]),
        )
        .await;

    assert_eq!(added.status(), 204, "groups answer 204 by default");
    assert!(added.headers().contains_key("etag"));
    assert_eq!(removed_by_filter.status(), 204);
    assert_eq!(removed_by_value.status(), 204);
    let mut expected = vec![ids[1].clone(), ids[3].clone()];
    expected.sort();
    assert_eq!(member_ids(&app.get_json(&acme, &path).await), expected);
}

#[tokio::test]
async fn okta_group_rename_with_read_only_id_and_member_replace() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let bob = app.create_user(&acme, "bob").await;
    let group = app
        .create_group(&acme, "Old", &[ada["id"].as_str().unwrap()])
        .await;
    let path = path_of(&group);

    let rename = patch_op(json!([{"op": "replace", "value": {
        "id": group["id"], "displayName": "New", "members": [{"value": bob["id"]}]
    }}]));

    let response = send(
        app.patch_request(&acme, &path, &rename)
            .header("Prefer", "return=representation"),
    )
    .await;

    assert_eq!(response.status(), 200);
    let body = json_ok(response).await;
    assert_eq!(body["displayName"], "New");
    assert_eq!(body["members"].as_array().unwrap().len(), 1);
    assert_eq!(body["members"][0]["value"], bob["id"]);
}

#[tokio::test]
async fn adding_a_member_of_another_tenant_or_a_cycle_is_refused() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let outsider = app.create_user(&globex, "spy").await;
    let parent = app.create_group(&acme, "Parent", &[]).await;
    let child = app
        .create_group(&acme, "Child", &[parent["id"].as_str().unwrap()])
        .await;
    let parent_path = path_of(&parent);

    let foreign = app
        .patch(
            &acme,
            &parent_path,
            json!([{"op": "add", "path": "members", "value": [{"value": outsider["id"]}]}]),
        )
        .await;
    let cycle = app
        .patch(
            &acme,
            &parent_path,
            json!([{"op": "add", "path": "members", "value": [{"value": child["id"]}]}]),
        )
        .await;

    assert_scim_error(foreign, 400, Some("invalidValue")).await;
    assert_scim_error(cycle, 400, Some("invalidValue")).await;
    assert!(
        app.get_json(&acme, &parent_path)
            .await
            .get("members")
            .is_none()
    );
}

#[tokio::test]
async fn fifty_concurrent_member_additions_all_land() {
    let (app, acme) = spawn_tenant("acme").await;
    let group = app.create_group(&acme, "Hot", &[]).await;
    let path = path_of(&group);
    let mut members = Vec::new();
    for i in 0..50 {
        members.push(app.create_user(&acme, &format!("user{i}")).await["id"].clone());
    }

    let requests: Vec<_> = members
        .iter()
        .map(|id| {
            let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
            tokio::spawn(app.patch_request(&acme, &path, &add).send())
        })
        .collect();
    for request in requests {
        assert_eq!(request.await.unwrap().unwrap().status(), 204);
    }

    let fetched = app.get_json(&acme, &path).await;
    assert_eq!(fetched["members"].as_array().unwrap().len(), 50);
    assert_eq!(fetched["meta"]["version"], "W/\"51\"");
}

#[tokio::test]
async fn user_patch_with_prefer_minimal_is_204_and_attributes_shape_the_body() {
    let (app, acme, _, path) = spawn_with_user("ada").await;
    let body = patch_op(json!([{"op": "replace", "path": "title", "value": "x"}]));

    let minimal = send(
        app.patch_request(&acme, &path, &body)
            .header("Prefer", "return=minimal"),
    )
    .await;
    let shaped =
        json_ok(send(app.patch_request(&acme, &format!("{path}?attributes=title"), &body)).await)
            .await;

    assert_eq!(minimal.status(), 204);
    let mut keys: Vec<&String> = shaped.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "schemas", "title"]);
}
