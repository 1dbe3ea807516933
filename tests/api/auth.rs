//! Bearer tokens on the SCIM routes: tenant binding, revocation, expiry and scopes.

use chrono::{Duration, Utc};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::tenant::TenantSlug;
use serde_json::Value;

use crate::helpers::{assert_scim_error, spawn_app, user};

#[tokio::test]
async fn request_without_token_is_401_with_www_authenticate() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    let response = app
        .client
        .get(format!("{}/Users", acme.base))
        .send()
        .await
        .unwrap();

    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert_scim_error(response, 401, None).await;
}

#[tokio::test]
async fn garbage_and_unknown_tokens_are_401() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let forged = format!("{}x", acme.token);

    for token in [
        "nonsense",
        "scimgate_0123456789abcdef_secret",
        forged.as_str(),
    ] {
        let response = app
            .client
            .get(format!("{}/Users", acme.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_scim_error(response, 401, None).await;
    }
}

#[tokio::test]
async fn two_authorization_headers_are_refused_even_when_one_is_valid() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act: reqwest appends a second header rather than replacing the first.
    let valid_first = app
        .get_request(&acme, "/Users")
        .bearer_auth("scimgate_0123abcd_wrong")
        .send()
        .await
        .expect("request sent");

    // Assert
    assert_scim_error(valid_first, 401, None).await;
}

#[tokio::test]
async fn a_token_of_one_tenant_is_refused_on_another_tenants_path() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    app.create_user(&globex, "secret-user").await;

    let response = app
        .client
        .get(format!("{}/Users", globex.base))
        .bearer_auth(&acme.token)
        .send()
        .await
        .unwrap();

    let body = assert_scim_error(response, 401, None).await;
    assert!(!body.to_string().contains("secret-user"));
}

#[tokio::test]
async fn a_token_on_an_unknown_tenant_path_is_401_like_any_other_mismatch() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    let response = app
        .client
        .get(format!("{}/t/nobody/scim/v2/Users", app.origin))
        .bearer_auth(&acme.token)
        .send()
        .await
        .unwrap();

    assert_scim_error(response, 401, None).await;
}

#[tokio::test]
async fn the_tenantless_base_serves_the_tokens_tenant_with_matching_locations() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    app.create_user(&globex, "other").await;

    let response = app
        .client
        .post(format!("{}/scim/v2/Users", app.origin))
        .bearer_auth(&acme.token)
        .header("Content-Type", "application/json")
        .body(user("ada").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let listed: Value = app
        .client
        .get(format!("{}/scim/v2/Users", app.origin))
        .bearer_auth(&acme.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert!(
        location.starts_with(&format!("{}/scim/v2/Users/", app.origin)),
        "{location}"
    );
    assert_eq!(listed["totalResults"], 1);
    assert_eq!(listed["Resources"][0]["userName"], "ada");
    let via_tenant_path: Value = app.get(&acme, "/Users").await.json().await.unwrap();
    assert_eq!(
        via_tenant_path["Resources"][0]["id"],
        listed["Resources"][0]["id"]
    );
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
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
    let app = spawn_app().await;
    app.tenant("acme").await;
    let slug = TenantSlug::parse("acme").unwrap();
    let issued = app
        .state
        .tokens
        .issue(
            &AdminContext::operator(None),
            &slug,
            TokenRequest {
                name: scimgate_domain::admin_name::AdminName::parse("short").unwrap(),
                scopes: vec![],
                expires_at: Some(Utc::now() + Duration::milliseconds(1500)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let url = format!("{}/t/acme/scim/v2/Users", app.origin);
    let before = app
        .client
        .get(&url)
        .bearer_auth(&issued.token)
        .send()
        .await
        .unwrap();

    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    let after = app
        .client
        .get(&url)
        .bearer_auth(&issued.token)
        .send()
        .await
        .unwrap();

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
    let challenge = created.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
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
