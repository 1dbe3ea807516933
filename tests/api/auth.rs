//! Bearer tokens on the SCIM routes: tenant binding, revocation, expiry and scopes.

use chrono::{Duration, Utc};
use reqwest::Method;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;

use crate::helpers::{TestTenant, assert_scim_error, header, send, spawn_app, spawn_tenant, user};

#[tokio::test]
async fn request_without_token_is_401_with_www_authenticate() {
    let (app, acme) = spawn_tenant("acme").await;

    let response = app.get_url(&format!("{}/Users", acme.base), None).await;

    let challenge = header(&response, "www-authenticate");
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert_scim_error(response, 401, None).await;
}

#[tokio::test]
async fn garbage_and_unknown_tokens_are_401() {
    let (app, acme) = spawn_tenant("acme").await;
    let forged = format!("{}x", acme.token);

    for token in [
        "nonsense",
        "scimgate_0123456789abcdef_secret",
        forged.as_str(),
    ] {
        let response = app
            .get_url(&format!("{}/Users", acme.base), Some(token))
            .await;
        assert_scim_error(response, 401, None).await;
    }
}

#[tokio::test]
async fn two_authorization_headers_are_refused_even_when_one_is_valid() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act: reqwest appends a second header rather than replacing the first.
    let valid_first = send(
        app.get_request(&acme, "/Users")
            .bearer_auth("scimgate_0123abcd_wrong"),
    )
    .await;

    // Assert
    assert_scim_error(valid_first, 401, None).await;
}

#[tokio::test]
async fn a_token_of_one_tenant_is_refused_on_another_tenants_path() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    app.create_user(&globex, "secret-user").await;

    let response = app.get(&globex.with_token(&acme.token), "/Users").await;

    let body = assert_scim_error(response, 401, None).await;
    assert!(!body.to_string().contains("secret-user"));
}

#[tokio::test]
async fn a_token_on_an_unknown_tenant_path_is_401_like_any_other_mismatch() {
    let (app, acme) = spawn_tenant("acme").await;

    let nobody = format!("{}/t/nobody/scim/v2/Users", app.origin);
    let response = app.get_url(&nobody, Some(&acme.token)).await;

    assert_scim_error(response, 401, None).await;
}

#[tokio::test]
async fn the_tenantless_base_serves_the_tokens_tenant_with_matching_locations() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    app.create_user(&globex, "other").await;

    let tenantless = TestTenant {
        base: format!("{}/scim/v2", app.origin),
        ..acme.clone()
    };

    let response = send(
        app.request(Method::POST, &tenantless, "/Users")
            .header("Content-Type", "application/json")
            .body(user("ada").to_string()),
    )
    .await;
    assert_eq!(response.status(), 201);
    let location = header(&response, "location");
    let listed = app.get_json(&tenantless, "/Users").await;

    assert!(
        location.starts_with(&format!("{}/scim/v2/Users/", app.origin)),
        "{location}"
    );
    assert_eq!(listed["totalResults"], 1);
    assert_eq!(listed["Resources"][0]["userName"], "ada");
    let via_tenant_path = app.get_json(&acme, "/Users").await;
    assert_eq!(
        via_tenant_path["Resources"][0]["id"],
        listed["Resources"][0]["id"]
    );
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let (app, acme) = spawn_tenant("acme").await;
    assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    let id = acme.token.split('_').nth(1).unwrap();

    app.state
        .tokens
        .revoke(
            &AdminContext::operator(None),
            &scimgate_domain::token::TokenId::parse(id).unwrap(),
        )
        .await
        .unwrap();
    let response = app.get(&acme, "/Users").await;

    assert_scim_error(response, 401, None).await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let (app, _acme) = spawn_tenant("acme").await;
    let token = app
        .issue_with(
            "acme",
            TokenRequest {
                name: scimgate_domain::admin_name::AdminName::parse("short").unwrap(),
                scopes: vec![],
                expires_at: Some(Utc::now() + Duration::milliseconds(1500)),
                ..Default::default()
            },
        )
        .await;
    let url = format!("{}/t/acme/scim/v2/Users", app.origin);
    let before = app.get_url(&url, Some(&token)).await;

    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    let after = app.get_url(&url, Some(&token)).await;

    assert_eq!(before.status(), 200);
    assert_scim_error(after, 401, None).await;
}

#[tokio::test]
async fn a_read_only_token_can_read_but_not_write() {
    let app = spawn_app().await;
    let reader = app.tenant_with_scopes("acme", &[Scope::Read]).await;

    let listed = app.get(&reader, "/Users").await;
    let created = app.post(&reader, "/Users", &user("ada")).await;

    assert_eq!(listed.status(), 200);
    let challenge = header(&created, "www-authenticate");
    assert!(challenge.contains("insufficient_scope"), "{challenge}");
    assert_scim_error(created, 403, None).await;
}

#[tokio::test]
async fn a_users_only_token_cannot_touch_groups() {
    let app = spawn_app().await;
    let users_only = app.tenant_with_scopes("acme", &[Scope::UsersWrite]).await;

    let users = app.post(&users_only, "/Users", &user("ada")).await;
    let groups = app.get(&users_only, "/Groups").await;

    assert_eq!(users.status(), 201);
    assert_scim_error(groups, 403, None).await;
}
