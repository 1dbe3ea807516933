//! The operator API under `/admin/v1`: tenants and tokens, behind `SCIMGATE_ADMIN_KEY`.

use reqwest::{Method, RequestBuilder, Response};
use scimgate_domain::service::admin::context::AdminContext;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_KEY, TestApp, assert_scim_error, send, spawn_app, spawn_configured, spawn_tenant,
};

fn admin_url(app: &TestApp, path: &str) -> String {
    format!("{}/admin/v1{path}", app.origin)
}

fn admin_get(app: &TestApp, path: &str) -> RequestBuilder {
    app.operator(Method::GET, path)
}

fn admin_post(app: &TestApp, path: &str, body: &Value) -> RequestBuilder {
    app.operator(Method::POST, path)
        .header("Content-Type", "application/json")
        .body(body.to_string())
}

fn admin_delete(app: &TestApp, path: &str) -> RequestBuilder {
    app.operator(Method::DELETE, path)
}

async fn json_with_status(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let body: Value = response.json().await.expect("json body");
    assert_eq!(actual, status, "status; body {body}");
    body
}

/// A fresh app with tenant `acme` created through the operator API.
async fn spawn_acme() -> TestApp {
    let app = spawn_app().await;
    create_acme(&app).await;
    app
}

/// Creates a tenant for `request` through the operator API.
async fn post_tenant(app: &TestApp, request: Value) -> Response {
    send(admin_post(app, "/tenants", &request)).await
}

/// The tenants as the operator API lists them.
async fn tenants(app: &TestApp) -> Value {
    json_with_status(send(admin_get(app, "/tenants")).await, 200).await
}

/// Issues a token of `acme` for `request` through the operator API.
async fn issue_acme(app: &TestApp, request: Value) -> Response {
    send(admin_post(app, "/tenants/acme/tokens", &request)).await
}

/// `acme`'s tokens as the operator API lists them.
async fn acme_tokens(app: &TestApp) -> Value {
    json_with_status(send(admin_get(app, "/tenants/acme/tokens")).await, 200).await
}

async fn create_acme(app: &TestApp) -> Value {
    let response = send(admin_post(
        app,
        "/tenants",
        &json!({"slug": "acme", "name": "Acme"}),
    ))
    .await;
    json_with_status(response, 201).await
}

async fn create_token(app: &TestApp, slug: &str) -> Value {
    let response = send(admin_post(
        app,
        &format!("/tenants/{slug}/tokens"),
        &json!({"name": "okta", "scopes": ["scim:read", "scim:write"]}),
    ))
    .await;
    json_with_status(response, 201).await
}

/// GET `/t/{slug}/scim/v2/Users` with `token`.
async fn list_users_with(app: &TestApp, slug: &str, token: &str) -> Response {
    send(
        app.client
            .get(format!("{}/t/{slug}/scim/v2/Users", app.origin))
            .bearer_auth(token),
    )
    .await
}

fn slugs(list: &Value) -> Vec<String> {
    list["tenants"]
        .as_array()
        .unwrap_or_else(|| panic!("no tenants array in {list}"))
        .iter()
        .map(|t| t["slug"].as_str().expect("slug").to_owned())
        .collect()
}

#[tokio::test]
async fn admin_api_without_the_operator_key_is_401() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let no_key = send(app.client.get(admin_url(&app, "/tenants"))).await;
    let wrong_key = send(
        app.client
            .get(admin_url(&app, "/tenants"))
            .bearer_auth("not-the-operator-key"),
    )
    .await;
    let wrong_key_write = send(
        app.client
            .post(admin_url(&app, "/tenants"))
            .bearer_auth(format!("{ADMIN_KEY}x"))
            .header("Content-Type", "application/json")
            .body(json!({"slug": "acme"}).to_string()),
    )
    .await;

    // Assert
    assert_scim_error(no_key, 401, None).await;
    assert_scim_error(wrong_key, 401, None).await;
    assert_scim_error(wrong_key_write, 401, None).await;
    let list = tenants(&app).await;
    assert!(slugs(&list).is_empty(), "nothing created: {list}");
}

#[tokio::test]
async fn scim_token_is_not_an_operator_key() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = send(
        app.client
            .get(admin_url(&app, "/tenants"))
            .bearer_auth(&acme.token),
    )
    .await;

    // Assert
    assert_scim_error(response, 401, None).await;
}

#[tokio::test]
async fn create_tenant_returns_201_with_its_scim_base_url() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = post_tenant(&app, json!({"slug": "acme", "name": "Acme"})).await;

    // Assert
    let tenant = json_with_status(response, 201).await;
    assert!(
        tenant["id"]
            .as_str()
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()),
        "id in {tenant}"
    );
    assert_eq!(tenant["slug"], "acme");
    assert_eq!(tenant["name"], "Acme");
    assert_eq!(
        tenant["scimBaseUrl"],
        format!("{}/t/acme/scim/v2", app.origin)
    );
}

#[tokio::test]
async fn duplicate_tenant_slug_is_a_conflict() {
    // Arrange
    let app = spawn_acme().await;

    // Act
    let response = post_tenant(&app, json!({"slug": "acme", "name": "Another Acme"})).await;

    // Assert
    assert_scim_error(response, 409, None).await;
    let list = tenants(&app).await;
    assert_eq!(slugs(&list), ["acme"]);
    assert_eq!(list["tenants"][0]["name"], "Acme");
}

#[tokio::test]
async fn tenant_slug_with_space_and_capitals_is_rejected() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = post_tenant(&app, json!({"slug": "Bad Slug", "name": "Bad"})).await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(
        error["detail"].as_str().is_some_and(|d| d.contains("slug")),
        "detail: {error}"
    );
    let list = tenants(&app).await;
    assert!(slugs(&list).is_empty(), "{list}");
}

#[tokio::test]
async fn unknown_field_in_tenant_request_is_rejected() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = post_tenant(
        &app,
        json!({"slug": "acme", "name": "Acme", "plan": "gold"}),
    )
    .await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidSyntax")).await;
    assert!(
        error["detail"].as_str().is_some_and(|d| d.contains("plan")),
        "detail names the field: {error}"
    );
    let list = tenants(&app).await;
    assert!(slugs(&list).is_empty(), "{list}");
}

#[tokio::test]
async fn created_tenant_is_listed() {
    // Arrange
    let app = spawn_app().await;
    let created = create_acme(&app).await;

    // Act
    let response = send(admin_get(&app, "/tenants")).await;

    // Assert
    let list = json_with_status(response, 200).await;
    assert_eq!(slugs(&list), ["acme"]);
    let acme = &list["tenants"][0];
    assert_eq!(acme["id"], created["id"]);
    assert_eq!(acme["name"], "Acme");
    assert_eq!(acme["scimBaseUrl"], created["scimBaseUrl"]);
}

#[tokio::test]
async fn issued_token_is_shown_once_and_works_on_the_tenant_scim_api() {
    // Arrange
    let app = spawn_acme().await;

    // Act
    let issued = create_token(&app, "acme").await;

    // Assert
    let token = issued["token"].as_str().expect("token");
    let id = issued["id"].as_str().expect("id");
    assert!(
        token.starts_with(&format!("scimgate_{id}_")),
        "token {token} carries its id {id}"
    );
    assert_eq!(issued["name"], "okta");
    assert_eq!(issued["scopes"], json!(["scim:read", "scim:write"]));
    assert!(issued["revokedAt"].is_null(), "{issued}");
    let response = list_users_with(&app, "acme", token).await;
    let users = json_with_status(response, 200).await;
    assert_eq!(users["totalResults"], 0);
}

#[tokio::test]
async fn token_listing_never_shows_the_secret() {
    // Arrange
    let app = spawn_acme().await;
    let issued = create_token(&app, "acme").await;
    let token = issued["token"].as_str().expect("token");
    let secret = token.rsplit('_').next().expect("secret part");

    // Act
    let response = send(admin_get(&app, "/tenants/acme/tokens")).await;

    // Assert
    let list = json_with_status(response, 200).await;
    let tokens = list["tokens"].as_array().expect("tokens array");
    assert_eq!(tokens.len(), 1, "{list}");
    let listed = &tokens[0];
    assert_eq!(listed["id"], issued["id"]);
    assert_eq!(listed["name"], "okta");
    assert_eq!(listed["scopes"], json!(["scim:read", "scim:write"]));
    let fields = listed.as_object().expect("object");
    for forbidden in ["token", "secret", "secretHash", "hash"] {
        assert!(!fields.contains_key(forbidden), "{forbidden} in {listed}");
    }
    let raw = list.to_string();
    assert!(!raw.contains(secret), "the secret leaks in {raw}");
    assert!(!raw.contains("$argon2"), "a hash leaks in {raw}");
}

#[tokio::test]
async fn token_with_unknown_scope_is_rejected() {
    // Arrange
    let app = spawn_acme().await;

    // Act
    let response = issue_acme(
        &app,
        json!({"name": "okta", "scopes": ["scim:read", "scim:everything"]}),
    )
    .await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(
        error["detail"]
            .as_str()
            .is_some_and(|d| d.contains("scim:everything")),
        "detail names the scope: {error}"
    );
    let list = acme_tokens(&app).await;
    assert_eq!(list["tokens"], json!([]));
}

#[tokio::test]
async fn token_expiring_in_the_past_is_rejected() {
    // Arrange
    let app = spawn_acme().await;

    // Act
    let response = issue_acme(
        &app,
        json!({"name": "okta", "expiresAt": "2020-01-01T00:00:00Z"}),
    )
    .await;

    // Assert
    assert_scim_error(response, 400, Some("invalidValue")).await;
    let list = acme_tokens(&app).await;
    assert_eq!(list["tokens"], json!([]));
}

#[tokio::test]
async fn token_with_future_expiry_reports_it() {
    // Arrange
    let app = spawn_acme().await;

    // Act
    let response = issue_acme(
        &app,
        json!({"name": "okta", "expiresAt": "2999-01-01T00:00:00Z"}),
    )
    .await;

    // Assert
    let issued = json_with_status(response, 201).await;
    assert!(
        issued["expiresAt"]
            .as_str()
            .is_some_and(|at| at.starts_with("2999-01-01T00:00:00")),
        "{issued}"
    );
    let token = issued["token"].as_str().expect("token");
    assert_eq!(list_users_with(&app, "acme", token).await.status(), 200);
}

#[tokio::test]
async fn revoked_token_is_refused_at_once() {
    // Arrange: the token is used first, so a cached verification must not outlive the revocation.
    let app = spawn_acme().await;
    let issued = create_token(&app, "acme").await;
    let token = issued["token"].as_str().expect("token");
    let id = issued["id"].as_str().expect("id");
    assert_eq!(list_users_with(&app, "acme", token).await.status(), 200);

    // Act
    let response = send(admin_delete(&app, &format!("/tokens/{id}"))).await;

    // Assert
    let revoked = json_with_status(response, 200).await;
    assert_eq!(revoked["id"], id);
    assert!(revoked["revokedAt"].is_string(), "revokedAt in {revoked}");
    assert!(revoked.get("token").is_none(), "{revoked}");
    assert_scim_error(list_users_with(&app, "acme", token).await, 401, None).await;
    let list = acme_tokens(&app).await;
    assert!(list["tokens"][0]["revokedAt"].is_string(), "{list}");
}

#[tokio::test]
async fn revoking_an_unknown_token_is_404() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let well_formed = send(admin_delete(
        &app,
        "/tokens/0123456789abcdef0123456789abcdef",
    ))
    .await;
    let malformed = send(admin_delete(&app, "/tokens/not-a-token-id")).await;

    // Assert
    assert_scim_error(well_formed, 404, None).await;
    assert_scim_error(malformed, 404, None).await;
}

#[tokio::test]
async fn tokens_of_an_unknown_tenant_are_404() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let listed = send(admin_get(&app, "/tenants/nobody/tokens")).await;
    let issued = send(admin_post(
        &app,
        "/tenants/nobody/tokens",
        &json!({"name": "okta"}),
    ))
    .await;

    // Assert
    assert_scim_error(listed, 404, None).await;
    assert_scim_error(issued, 404, None).await;
}

#[tokio::test]
async fn admin_api_without_a_configured_key_is_disabled() {
    // Arrange
    let app = spawn_configured(|s| s.admin_key = None).await;

    // Act
    let with_key = send(admin_get(&app, "/tenants")).await;
    let create = post_tenant(&app, json!({"slug": "acme"})).await;

    // Assert
    let error = assert_scim_error(with_key, 401, None).await;
    assert!(
        error["detail"]
            .as_str()
            .is_some_and(|d| d.contains("SCIMGATE_ADMIN_KEY")),
        "detail: {error}"
    );
    assert_scim_error(create, 401, None).await;
    let tenants = app
        .state
        .tenants
        .list(&AdminContext::operator(None))
        .await
        .expect("tenants listed");
    assert!(tenants.is_empty(), "nothing created");
}
