//! Verified domains: a User whose userName (with an `@`) or primary email is outside them is
//! refused with 400 `invalidValue` naming the rule, on POST, PUT, PATCH, Bulk and `/Me`.

use serde_json::{Value, json};

use super::support::{bulk_answer, set_rails};
use crate::helpers::{assert_scim_error, bulk_statuses, id, spawn_app, spawn_tenant, user};
use crate::me::alice;

fn outside(mut body: Value) -> Value {
    body["emails"] = json!([{"value": "ada@elsewhere.org", "type": "work", "primary": true}]);
    body
}

async fn assert_refused(response: reqwest::Response) {
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    let detail = error["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("verified-domains rule"), "{detail}");
}

#[tokio::test]
async fn every_write_outside_the_verified_domains_is_refused_and_other_tenants_are_not() {
    // Arrange: acme verifies example.com (sent in capitals); globex has no rule.
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    set_rails(&app, "acme", json!({"verifiedDomains": ["example.com"]})).await;
    let ada = id(&app.create_user(&acme, "ada").await);

    // Act + Assert: POST by userName, then by primary email; a subdomain is not covered.
    assert_refused(app.post(&acme, "/Users", &user("ada@elsewhere.org")).await).await;
    assert_refused(app.post(&acme, "/Users", &outside(user("bob"))).await).await;
    assert_refused(app.post(&acme, "/Users", &user("eve@eu.example.com")).await).await;
    assert_eq!(
        app.post(&acme, "/Users", &user("carol@EXAMPLE.com"))
            .await
            .status(),
        201
    );
    // PUT and PATCH of an existing user.
    let path = format!("/Users/{ada}");
    assert_refused(app.put(&acme, &path, &outside(user("ada"))).await).await;
    let to_outside = json!([{"op": "replace", "path": "userName", "value": "ada@elsewhere.org"}]);
    assert_refused(app.patch(&acme, &path, to_outside).await).await;
    // Bulk.
    let operations = json!([
        {"method": "POST", "path": "/Users", "bulkId": "a", "data": user("dan@elsewhere.org")},
        {"method": "PATCH", "path": path, "data": {"schemas": [crate::helpers::PATCH_OP],
            "Operations": [{"op": "replace", "path": "userName", "value": "ada@elsewhere.org"}]}},
        {"method": "POST", "path": "/Users", "bulkId": "b", "data": user("dan")},
    ]);
    let answer = bulk_answer(&app, &acme, operations).await;
    assert_eq!(bulk_statuses(&answer), ["400", "400", "201"], "{answer}");
    // Nothing refused was written.
    let stored: Value = app.get(&acme, &path).await.json().await.unwrap();
    assert_eq!(stored["userName"], "ada");
    // Tenant B is unaffected by A's rule.
    assert_eq!(
        app.post(&globex, "/Users", &user("ada@elsewhere.org"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_me_write_outside_the_verified_domains_is_refused() {
    // Arrange
    let app = spawn_app().await;
    let (operator, me) = alice(&app).await;
    app.create_user(&operator, "alice").await;
    set_rails(&app, "acme", json!({"verifiedDomains": ["example.com"]})).await;

    // Act
    let emails = json!([{"op": "replace", "path": "emails",
        "value": [{"value": "alice@elsewhere.org", "type": "work", "primary": true}]}]);
    let response = app.patch(&me, "/Me", emails).await;

    // Assert
    assert_refused(response).await;
    let inside = json!([{"op": "replace", "path": "emails",
        "value": [{"value": "alice@example.com", "type": "work", "primary": true}]}]);
    assert_eq!(app.patch(&me, "/Me", inside).await.status(), 200);
}
