//! The enterprise `manager.value` names a User of the same tenant, checked like group
//! members: another tenant's user, a group, or an id nobody made is 400 `invalidValue` on
//! POST, PUT, PATCH and Bulk, and nothing is written.

use serde_json::{Value, json};

use crate::helpers::{
    ENTERPRISE, TestApp, TestTenant, USER_SCHEMA, assert_scim_error, bulk, id, spawn_tenant, user,
};

fn with_manager(user_name: &str, manager: &str) -> Value {
    let mut body = user(user_name);
    body["schemas"] = json!([USER_SCHEMA, ENTERPRISE]);
    body[ENTERPRISE] = json!({"manager": {"value": manager}});
    body
}

/// Ids that are no User of tenant `acme`: a user of another tenant, a group of `acme`, a
/// UUID nobody made, and a string that is no id at all.
async fn foreign_ids(app: &TestApp, acme: &TestTenant) -> Vec<String> {
    let globex = app.tenant("globex").await;
    vec![
        id(&app.create_user(&globex, "outsider").await),
        id(&app.create_group(acme, "eng", &[]).await),
        uuid::Uuid::now_v7().to_string(),
        "bob".to_owned(),
    ]
}

#[tokio::test]
async fn a_manager_that_is_no_user_of_the_tenant_is_refused_on_every_write() {
    let (app, acme) = spawn_tenant("acme").await;
    let boss = id(&app.create_user(&acme, "boss").await);
    let created = app.post(&acme, "/Users", &with_manager("ada", &boss)).await;
    assert_eq!(created.status(), 201);
    let ada: Value = created.json().await.unwrap();
    let path = format!("/Users/{}", id(&ada));

    for foreign in foreign_ids(&app, &acme).await {
        let post = app
            .post(&acme, "/Users", &with_manager("grace", &foreign))
            .await;
        let body = assert_scim_error(post, 400, Some("invalidValue")).await;
        assert!(
            body["detail"].as_str().unwrap().contains("manager"),
            "{body}"
        );

        let put = app.put(&acme, &path, &with_manager("ada", &foreign)).await;
        assert_scim_error(put, 400, Some("invalidValue")).await;

        // Entra ID sends the bare id; others the sub-attribute.
        for operation in [
            json!({"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": foreign}),
            json!({"op": "replace", "path": format!("{ENTERPRISE}:manager.value"), "value": foreign}),
        ] {
            let patch = app.patch(&acme, &path, json!([operation])).await;
            assert_scim_error(patch, 400, Some("invalidValue")).await;
        }
    }

    assert_eq!(app.get_json(&acme, &path).await, ada);
    let users = app.get_json(&acme, "/Users").await;
    assert_eq!(users["totalResults"], 2);
}

#[tokio::test]
async fn a_manager_of_the_tenant_is_accepted_and_kept_after_it_is_deleted() {
    let (app, acme) = spawn_tenant("acme").await;
    let boss = id(&app.create_user(&acme, "boss").await);
    let other = id(&app.create_user(&acme, "other").await);
    let ada = id(&app.create_user(&acme, "ada").await);
    let path = format!("/Users/{ada}");

    let put = app.put(&acme, &path, &with_manager("ada", &other)).await;
    assert_eq!(put.status(), 200);
    let patch = app
        .patch(
            &acme,
            &path,
            json!([{"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": boss}]),
        )
        .await;
    assert_eq!(patch.status(), 200);
    let patched: Value = patch.json().await.unwrap();
    assert_eq!(patched[ENTERPRISE]["manager"]["value"], boss);

    // A manager who leaves does not block later changes to the people they managed.
    let deleted = app.delete(&acme, &format!("/Users/{boss}")).await;
    assert_eq!(deleted.status(), 204);
    let later = app
        .patch(
            &acme,
            &path,
            json!([{"op": "replace", "path": "title", "value": "Engineer"}]),
        )
        .await;
    assert_eq!(later.status(), 200);
    let later: Value = later.json().await.unwrap();
    assert_eq!(later[ENTERPRISE]["manager"]["value"], boss);
}

#[tokio::test]
async fn bulk_refuses_a_foreign_manager_and_resolves_a_bulk_id_manager() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let outsider = id(&app.create_user(&globex, "outsider").await);

    let response = app
        .post(
            &acme,
            "/Bulk",
            &bulk(json!([
                {"method": "POST", "path": "/Users", "bulkId": "boss", "data": user("boss")},
                {"method": "POST", "path": "/Users", "bulkId": "ada",
                 "data": with_manager("ada", "bulkId:boss")},
                {"method": "POST", "path": "/Users", "bulkId": "eve",
                 "data": with_manager("eve", &outsider)},
            ])),
        )
        .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let ops = body["Operations"].as_array().unwrap();
    assert_eq!(ops[0]["status"], "201", "{body}");
    assert_eq!(ops[1]["status"], "201", "{body}");
    assert_eq!(ops[2]["status"], "400", "{body}");
    assert_eq!(ops[2]["response"]["scimType"], "invalidValue", "{body}");
    let users = app
        .get_json(&acme, "/Users?filter=userName eq \"eve\"")
        .await;
    assert_eq!(users["totalResults"], 0);
}
