//! The operator's admin API for OAuth clients.

use reqwest::Method;
use serde_json::{Value, json};

use super::support::{TestClient, access_token, get_with};
use crate::helpers::{TestApp, assert_scim_error, spawn_tenant};

async fn create(app: &TestApp, body: Value) -> reqwest::Response {
    app.operator(Method::POST, "/tenants/acme/clients")
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn created_client_shows_its_secret_once_and_is_listed_without_it() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;

    // Act
    let response = create(
        &app,
        json!({"name": "partner-a", "scopes": ["scim:read"], "claims": {"org": "partner-a"}}),
    )
    .await;

    // Assert
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let id = created["clientId"].as_str().unwrap();
    let secret = created["clientSecret"].as_str().unwrap();
    assert!(id.starts_with("sgc_"), "{created}");
    assert_eq!(created["scopes"], json!(["scim:read"]));
    assert_eq!(created["claims"], json!({"org": "partner-a"}));
    let listed: Value = app.operator_get("/tenants/acme/clients").await;
    assert_eq!(listed["clients"][0]["clientId"], id);
    assert!(
        !listed.to_string().contains(secret),
        "secret leaks: {listed}"
    );
    let client = TestClient {
        id: id.to_owned(),
        secret: secret.to_owned(),
    };
    let jwt = access_token(&app, &client).await;
    assert_eq!(get_with(&app, "/scim/v2/Users", &jwt).await.status(), 200);
}

#[tokio::test]
async fn revoking_through_the_admin_api_refuses_the_clients_tokens() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let created: Value = create(&app, json!({})).await.json().await.unwrap();
    let client = TestClient {
        id: created["clientId"].as_str().unwrap().to_owned(),
        secret: created["clientSecret"].as_str().unwrap().to_owned(),
    };
    let jwt = access_token(&app, &client).await;

    // Act
    let revoked = app
        .operator(Method::DELETE, &format!("/clients/{}", client.id))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(revoked.status(), 200);
    let body: Value = revoked.json().await.unwrap();
    assert!(body["revokedAt"].is_string(), "{body}");
    assert_eq!(get_with(&app, "/scim/v2/Users", &jwt).await.status(), 401);
}

#[tokio::test]
async fn claims_that_are_not_an_object_are_refused() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;

    // Act
    let response = create(&app, json!({"claims": ["org"]})).await;

    // Assert
    assert_scim_error(response, 400, Some("invalidValue")).await;
}
