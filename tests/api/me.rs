//! `/Me` (RFC 7644 §3.11): a token whose policy maps its subject to a User (`meFilter`)
//! reads and manages that User through `/Me`; every answer names the User's permanent
//! location, and the policy's rows, attribute sets and scopes apply as on `/Users/{id}`.

use reqwest::{Method, Response};
use scimgate_domain::scope::Scope;
use serde_json::{Value, json};

use crate::helpers::{
    ENTERPRISE, TestApp, TestTenant, USER_SCHEMA, assert_scim_error, header, json_ok, spawn_app,
    spawn_tenant, user,
};
use crate::oauth::support::{as_client, create_client_with_policy};

/// The self-service policy: the caller is the User whose userName its `user` claim names; it
/// reads a few attributes and may change only its name and emails.
fn self_service_policy() -> Value {
    json!({
        "meFilter": "userName eq \"{{claims.user}}\"",
        "readable": ["userName", "name", "emails", "active"],
        "writable": ["name", "emails"],
    })
}

/// A caller of tenant `operator.slug` holding a JWT of a client with `policy` and `claims`.
async fn caller(
    app: &TestApp,
    operator: &TestTenant,
    policy: Value,
    claims: Value,
    scopes: &[Scope],
) -> TestTenant {
    let client = create_client_with_policy(app, &operator.slug, scopes, claims, Some(policy)).await;
    as_client(app, operator, &client).await
}

/// Tenant acme's operator, and a caller whose `/Me` is the User named alice.
pub(crate) async fn alice(app: &TestApp) -> (TestTenant, TestTenant) {
    let operator = app.tenant("acme").await;
    let me = caller(
        app,
        &operator,
        self_service_policy(),
        json!({"user": "alice"}),
        &[],
    )
    .await;
    (operator, me)
}

fn location(response: &Response) -> String {
    header(response, "location")
}

#[tokio::test]
async fn me_reads_the_callers_own_user_with_its_location() {
    // Arrange
    let app = spawn_app().await;
    let (operator, me) = alice(&app).await;
    app.create_user(&operator, "bob").await;
    let alice = app.create_user(&operator, "alice").await;
    let alice_location = alice["meta"]["location"].as_str().unwrap();

    // Act
    let response = app.get(&me, "/Me").await;

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(location(&response), alice_location);
    let etag = response.headers().get("etag").cloned().unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], alice["id"]);
    assert_eq!(body["userName"], "alice");
    assert!(
        body.get("title").is_none() && body.get("groups").is_none(),
        "{body}"
    );
    let unchanged = app
        .get_request(&me, "/Me")
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
}

#[tokio::test]
async fn me_also_answers_where_the_tenant_comes_from_the_token() {
    // Arrange
    let app = spawn_app().await;
    let (operator, me) = alice(&app).await;
    let alice = app.create_user(&operator, "alice").await;

    // Act
    let response = app
        .client
        .get(format!("{}/scim/v2/Me", app.origin))
        .bearer_auth(&me.token)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(json_ok(response).await["id"], alice["id"]);
}

#[tokio::test]
async fn me_patches_and_replaces_only_writable_attributes_of_its_own_user() {
    // Arrange
    let app = spawn_app().await;
    let (operator, me) = alice(&app).await;
    let alice = app.create_user(&operator, "alice").await;
    let id = alice["id"].as_str().unwrap();

    // Act
    let renamed = app
        .patch(
            &me,
            "/Me",
            json!([{"op": "replace", "path": "name.givenName", "value": "Alicia"}]),
        )
        .await;
    let unlinking = app
        .patch(
            &me,
            "/Me",
            json!([{"op": "replace", "path": "userName", "value": "mallory"}]),
        )
        .await;
    let deactivating = app
        .patch(
            &me,
            "/Me",
            json!([{"op": "replace", "path": "active", "value": false}]),
        )
        .await;
    let mut replacement = user("alice");
    replacement["name"] = json!({"givenName": "Alice", "familyName": "Liddell"});
    let replaced = app.put(&me, "/Me", &replacement).await;

    // Assert
    assert_eq!(renamed.status(), 200);
    assert!(location(&renamed).ends_with(&format!("/Users/{id}")));
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["name"]["givenName"], "Alicia");
    assert_scim_error(unlinking, 403, None).await;
    assert_scim_error(deactivating, 403, None).await;
    assert_eq!(replaced.status(), 200);
    assert!(location(&replaced).ends_with(&format!("/Users/{id}")));
    let stored: Value = app.get_json(&operator, &format!("/Users/{id}")).await;
    assert_eq!(stored["userName"], "alice");
    assert_eq!(stored["active"], true);
    assert_eq!(stored["name"]["familyName"], "Liddell");
}

#[tokio::test]
async fn me_creates_the_callers_user_once_and_only_its_own() {
    // Arrange
    let app = spawn_app().await;
    let (operator, me) = alice(&app).await;
    let before = app.get(&me, "/Me").await;
    // The self-service policy lets the caller write its name and emails only, so creating a
    // User takes a caller that may write userName.
    let policy = json!({"meFilter": "userName eq \"{{claims.user}}\""});
    let creator = caller(&app, &operator, policy, json!({"user": "carol"}), &[]).await;

    // Act
    let someone_else = app.post(&creator, "/Me", &user("dave")).await;
    let created = app.post(&creator, "/Me", &user("carol")).await;
    let again = app.post(&creator, "/Me", &user("carol")).await;

    // Assert
    assert_scim_error(before, 404, None).await;
    assert_scim_error(someone_else, 403, None).await;
    assert_eq!(created.status(), 201);
    let created_location = location(&created);
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["meta"]["location"], created_location.as_str());
    assert_scim_error(again, 409, Some("uniqueness")).await;
    let listed: Value = app
        .get_json(&operator, "/Users?filter=userName%20eq%20%22dave%22")
        .await;
    assert_eq!(listed["totalResults"], 0);
}

#[tokio::test]
async fn me_deletes_the_callers_user_and_then_finds_none() {
    // Arrange
    let app = spawn_app().await;
    let (operator, me) = alice(&app).await;
    let alice = app.create_user(&operator, "alice").await;
    let bob = app.create_user(&operator, "bob").await;

    // Act
    let deleted = app.delete(&me, "/Me").await;
    let after = app.get(&me, "/Me").await;

    // Assert
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        location(&deleted),
        alice["meta"]["location"].as_str().unwrap()
    );
    assert_scim_error(after, 404, None).await;
    let bob_path = format!("/Users/{}", bob["id"].as_str().unwrap());
    let bob_still_there = app.get(&operator, &bob_path).await;
    assert_eq!(bob_still_there.status(), 200);
}

#[tokio::test]
async fn me_stays_inside_the_policys_rows_and_scopes() {
    // Arrange
    let (app, operator) = spawn_tenant("acme").await;
    let org = format!("{ENTERPRISE}:organization");
    let policy = json!({
        "userFilter": format!("{org} eq \"{{{{claims.org}}}}\""),
        "meFilter": "userName eq \"{{claims.user}}\"",
    });
    let outsider = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": "erin",
        ENTERPRISE: {"organization": "partner-b"},
    });
    app.post(&operator, "/Users", &outsider).await;
    let claims = json!({"org": "partner-a", "user": "erin"});
    let erin = caller(&app, &operator, policy.clone(), claims.clone(), &[]).await;
    let reader = caller(&app, &operator, policy, claims, &[Scope::UsersRead]).await;

    // Act
    let outside_rows = app.get(&erin, "/Me").await;
    let without_write_scope = app.delete(&reader, "/Me").await;

    // Assert
    assert_scim_error(outside_rows, 404, None).await;
    assert_scim_error(without_write_scope, 403, None).await;
}

#[tokio::test]
async fn an_ambiguous_mapping_is_a_conflict_not_a_guess() {
    // Arrange
    let (app, operator) = spawn_tenant("acme").await;
    for name in ["frank", "grace"] {
        let mut body = user(name);
        body["title"] = json!("Engineer");
        app.post(&operator, "/Users", &body).await;
    }
    // The mapping may read an attribute the caller itself cannot.
    let policy = json!({"meFilter": "title eq \"{{claims.title}}\"", "readable": ["userName"]});
    let me = caller(&app, &operator, policy, json!({"title": "Engineer"}), &[]).await;

    // Act
    let response = app.get(&me, "/Me").await;

    // Assert
    assert_scim_error(response, 409, None).await;
}

#[tokio::test]
async fn a_client_whose_policy_maps_no_user_gets_not_implemented() {
    // Arrange
    let (app, operator) = spawn_tenant("acme").await;
    let unmapped = caller(
        &app,
        &operator,
        json!({"readable": ["userName"]}),
        json!({}),
        &[],
    )
    .await;

    // Act
    let response = app.get(&unmapped, "/Me").await;

    // Assert
    assert_scim_error(response, 501, None).await;
}

#[tokio::test]
async fn a_policy_with_a_broken_me_filter_is_refused_at_creation() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let create = |me_filter: &str| {
        app.operator(Method::POST, "/tenants/acme/clients")
            .json(&json!({"name": "me", "policy": {"meFilter": me_filter}}))
            .send()
    };

    // Act
    let unparsable = create("userName eq").await.unwrap();
    let unknown_attribute = create("shoeSize eq \"{{claims.size}}\"").await.unwrap();

    // Assert
    assert_scim_error(unparsable, 400, Some("invalidFilter")).await;
    assert_scim_error(unknown_attribute, 400, Some("invalidValue")).await;
}

#[tokio::test]
async fn an_opaque_token_minted_for_one_user_reaches_it_through_me() {
    // Arrange: the operator mints a token bound to alice through the admin API.
    let (app, operator) = spawn_tenant("acme").await;
    let alice = app.create_user(&operator, "alice").await;
    let minted = json!({"name": "alice-self", "claims": {"user": "alice"},
                        "policy": self_service_policy()});
    let me = app.token_for(&operator, &minted).await;

    // Act
    let response = app.get(&me, "/Me").await;

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(json_ok(response).await["id"], alice["id"]);
}
