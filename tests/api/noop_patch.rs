//! RFC 7644 §3.5.2.1: a PATCH that changes nothing "SHALL NOT change the modify timestamp".
//! IdPs re-send what they sent before (Okta re-adds every member on each push), so such a
//! request must leave `meta.version` and `meta.lastModified` as they were, while a real
//! change still moves both.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, bulk, id, patch_op, send, spawn_tenant};

/// `meta.version` and `meta.lastModified` as a GET shows them.
async fn stamp(app: &TestApp, tenant: &TestTenant, path: &str) -> (Value, Value) {
    meta_stamp(&app.get_json(tenant, path).await)
}

/// `meta.version` and `meta.lastModified` of a representation.
fn meta_stamp(body: &Value) -> (Value, Value) {
    (
        body["meta"]["version"].clone(),
        body["meta"]["lastModified"].clone(),
    )
}

/// A PATCH of `op` on `members` naming `id`.
fn members_op(op: &str, id: &str) -> Value {
    json!([{"op": op, "path": "members", "value": [{"value": id}]}])
}

/// A group "eng" holding `ada`, plus a user `grace` outside it.
async fn group_with_ada(app: &TestApp, tenant: &TestTenant) -> (String, String, String) {
    let ada = id(&app.create_user(tenant, "ada").await);
    let grace = id(&app.create_user(tenant, "grace").await);
    let group = id(&app.create_group(tenant, "eng", &[&ada]).await);
    // Timestamps have millisecond precision: a write now would show.
    tokio::time::sleep(Duration::from_millis(20)).await;
    (format!("/Groups/{group}"), ada, grace)
}

#[tokio::test]
async fn group_patches_that_change_nothing_keep_version_and_last_modified() {
    let (app, acme) = spawn_tenant("acme").await;
    let (path, ada, grace) = group_with_ada(&app, &acme).await;
    let before = stamp(&app, &acme, &path).await;

    for operations in [
        members_op("add", &ada),
        json!([{"op": "add", "value": {"members": [{"value": ada}], "displayName": "eng"}}]),
        json!([{"op": "remove", "path": format!("members[value eq \"{grace}\"]")}]),
        members_op("remove", &grace),
        json!([{"op": "remove", "path": "members[type eq \"Group\"]"}]),
        members_op("replace", &ada),
        json!([{"op": "replace", "path": "displayName", "value": "eng"}]),
        json!([
            {"op": "add", "path": "members", "value": [{"value": grace}]},
            {"op": "remove", "path": "members", "value": [{"value": grace}]},
        ]),
    ] {
        let response = app.patch(&acme, &path, operations.clone()).await;
        assert_eq!(response.status(), 204, "{operations}");
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(json!(etag), before.0, "{operations}");
        assert_eq!(stamp(&app, &acme, &path).await, before, "{operations}");
    }

    // A real change still moves both, and so does undoing it.
    let added = app.patch(&acme, &path, members_op("add", &grace)).await;
    assert_eq!(added.status(), 204);
    let after_add = stamp(&app, &acme, &path).await;
    assert_ne!(after_add.0, before.0);
    assert_ne!(after_add.1, before.1);
    let removed = app.patch(&acme, &path, members_op("replace", &ada)).await;
    assert_eq!(removed.status(), 204);
    assert_ne!(stamp(&app, &acme, &path).await.0, after_add.0);
}

#[tokio::test]
async fn group_patch_answering_with_the_representation_shows_the_unchanged_meta() {
    let (app, acme) = spawn_tenant("acme").await;
    let (path, ada, _) = group_with_ada(&app, &acme).await;
    let before = stamp(&app, &acme, &path).await;

    let add = patch_op(members_op("add", &ada));
    let response = send(
        app.patch_request(&acme, &path, &add)
            .header("Prefer", "return=representation"),
    )
    .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(meta_stamp(&body), before);
    assert_eq!(body["members"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bulk_patch_that_changes_nothing_keeps_the_group_version() {
    let (app, acme) = spawn_tenant("acme").await;
    let (path, ada, _) = group_with_ada(&app, &acme).await;
    let before = stamp(&app, &acme, &path).await;

    let response = app
        .post(
            &acme,
            "/Bulk",
            &bulk(json!([{
                "method": "PATCH",
                "path": path,
                "data": patch_op(json!([
                    {"op": "add", "path": "members", "value": [{"value": ada}]},
                ])),
            }])),
        )
        .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Operations"][0]["status"], "200", "{body}");
    assert_eq!(body["Operations"][0]["version"], before.0, "{body}");
    assert_eq!(stamp(&app, &acme, &path).await, before);
}

#[tokio::test]
async fn user_patch_re_sending_current_values_keeps_version_and_last_modified() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", id(&ada));
    tokio::time::sleep(Duration::from_millis(20)).await;
    let before = stamp(&app, &acme, &path).await;

    let response = app
        .patch(
            &acme,
            &path,
            json!([
                {"op": "Replace", "path": "active", "value": "True"},
                {"op": "Replace", "path": "name.givenName", "value": "Ada"},
                {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "ada@example.com"},
                {"op": "Remove", "path": "nickName"},
            ]),
        )
        .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(meta_stamp(&body), before);
    assert_eq!(stamp(&app, &acme, &path).await, before);
}
