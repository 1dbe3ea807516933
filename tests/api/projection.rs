//! `attributes` and `excludedAttributes` on every response that returns resources.

use serde_json::{Value, json};

use crate::helpers::{ENTERPRISE, USER_SCHEMA, assert_scim_error, spawn_tenant, user};

fn keys(resource: &Value) -> Vec<String> {
    let mut keys: Vec<String> = resource.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn attributes_trims_get_list_post_and_put_responses() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", created["id"].as_str().unwrap());

    let got: Value = app
        .get_json(&acme, &format!("{path}?attributes=userName"))
        .await;
    let listed: Value = app
        .get_json(&acme, "/Users?attributes=name.givenName,emails.value")
        .await;
    let posted: Value = app
        .post_json(&acme, "/Users?attributes=id", &user("grace"))
        .await;
    let put: Value = app
        .put(
            &acme,
            &format!("{path}?excludedAttributes=emails,name"),
            &user("ada"),
        )
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(keys(&got), ["id", "schemas", "userName"]);
    let first = &listed["Resources"][0];
    assert_eq!(first["name"], json!({"givenName": "Ada"}));
    assert_eq!(first["emails"], json!([{"value": "ada@example.com"}]));
    assert!(first.get("userName").is_none());
    assert_eq!(keys(&posted), ["id", "schemas"]);
    assert!(put.get("emails").is_none() && put.get("name").is_none());
    assert_eq!(put["userName"], "ada");
    assert!(put.get("meta").is_some());
}

#[tokio::test]
async fn excluded_attributes_never_removes_id_and_keeps_schemas_honest() {
    let (app, acme) = spawn_tenant("acme").await;
    let mut body = user("ada");
    body["schemas"] = json!([USER_SCHEMA, ENTERPRISE]);
    body[ENTERPRISE] = json!({"department": "Math"});
    let created: Value = app.post_json(&acme, "/Users", &body).await;

    let got: Value = app
        .get_json(
            &acme,
            &format!(
                "/Users/{}?excludedAttributes=id,{ENTERPRISE}",
                created["id"].as_str().unwrap()
            ),
        )
        .await;

    assert_eq!(got["id"], created["id"]);
    assert!(got.get(ENTERPRISE).is_none());
    assert_eq!(got["schemas"], json!([USER_SCHEMA]));
}

#[tokio::test]
async fn groups_listed_without_members_when_members_are_excluded() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    app.create_group(&acme, "Admins", &[ada["id"].as_str().unwrap()])
        .await;

    let without: Value = app
        .get_json(&acme, "/Groups?excludedAttributes=members")
        .await;
    let with: Value = app.get_json(&acme, "/Groups").await;

    assert!(without["Resources"][0].get("members").is_none());
    assert_eq!(without["Resources"][0]["displayName"], "Admins");
    assert_eq!(with["Resources"][0]["members"][0]["value"], ada["id"]);
}

#[tokio::test]
async fn malformed_attribute_names_are_invalid_value() {
    let (app, acme) = spawn_tenant("acme").await;

    let response = app.get(&acme, "/Users?attributes=emails%5B").await;

    assert_scim_error(response, 400, Some("invalidValue")).await;
}
