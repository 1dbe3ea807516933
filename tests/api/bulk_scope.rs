//! `/Bulk` needs `scim:bulk` on top of each operation's own scopes; tokens issued without
//! explicit scopes carry it.

use scimgate_domain::scope::Scope;
use serde_json::json;

use crate::admin_support::{challenge, exchange, issue};
use crate::helpers::{assert_scim_error, spawn_app, user};

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

fn create_ada() -> serde_json::Value {
    json!({"schemas": [BULK_REQUEST], "Operations": [
        {"method": "POST", "bulkId": "ada", "path": "/Users", "data": user("ada")},
    ]})
}

#[tokio::test]
async fn bulk_without_the_bulk_scope_is_refused_with_insufficient_scope() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let writer = issue(&app, "acme", &[Scope::Read, Scope::Write]).await;

    // Act
    let response = app
        .client
        .post(format!("{}/Bulk", acme.base))
        .bearer_auth(&writer.token)
        .header("Content-Type", "application/scim+json")
        .body(create_ada().to_string())
        .send()
        .await
        .unwrap();

    // Assert
    let challenge = challenge(&response);
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
    let body = assert_scim_error(response, 403, None).await;
    assert!(
        body["detail"].as_str().unwrap().contains("scim:bulk"),
        "{body}"
    );
    let (_, list, _) = exchange(app.get(&acme, "/Users")).await;
    assert_eq!(list["totalResults"], 0, "nothing ran");
}

#[tokio::test]
async fn bulk_scope_alone_grants_no_operation() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let bulk_only = issue(&app, "acme", &[Scope::Bulk, Scope::UsersRead]).await;

    // Act
    let (status, body, _) = exchange(
        app.client
            .post(format!("{}/Bulk", acme.base))
            .bearer_auth(&bulk_only.token)
            .header("Content-Type", "application/scim+json")
            .body(create_ada().to_string()),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Operations"][0]["status"], "403", "{body}");
}

#[tokio::test]
async fn tokens_without_explicit_scopes_can_use_bulk() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let (status, body, _) = exchange(app.post_json(&acme, "/Bulk", &create_ada())).await;
    let (_, tokens, _) = exchange(
        app.client
            .get(format!("{}/admin/v1/tenants/acme/tokens", app.origin))
            .bearer_auth(crate::helpers::ADMIN_KEY),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Operations"][0]["status"], "201", "{body}");
    assert_eq!(
        tokens["tokens"][0]["scopes"],
        json!(["scim:read", "scim:write", "scim:bulk"])
    );
}
