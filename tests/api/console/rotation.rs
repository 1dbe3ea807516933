//! Token rotation, over the admin API and in the console: a new token with the old one's
//! settings, the old one working on for the grace period picked, then refused.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::support::{copyable_value, sign_in};
use crate::admin_support::{admin_token, exchange, tenant_admin};
use crate::helpers::{TestTenant, spawn_app, status_json};

#[tokio::test]
async fn a_rotated_token_works_through_its_grace_period_and_its_successor_keeps_its_settings() {
    // Arrange
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    // Whole seconds: PostgreSQL keeps microseconds, the creating answer echoes what was sent.
    let expires = (chrono::Utc::now() + chrono::Duration::days(60))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let old = app
        .issue_token(
            "acme",
            &json!({"name": "okta", "scopes": ["scim:read"], "expiresAt": expires}),
        )
        .await;
    let old_id = old["id"].as_str().unwrap();
    let old_idp = TestTenant {
        token: old["token"].as_str().unwrap().to_owned(),
        slug: tenant.slug.clone(),
        base: tenant.base.clone(),
    };
    assert_eq!(
        app.get(&old_idp, "/Users").await.status(),
        200,
        "cached before rotation"
    );

    // Act
    let (status, rotated) = status_json(
        app.operator(Method::POST, &format!("/tokens/{old_id}/rotate"))
            .json(&json!({"graceSeconds": 2})),
    )
    .await;

    // Assert
    assert_eq!(status, 201, "{rotated}");
    assert_eq!(rotated["name"], "okta");
    assert_eq!(rotated["scopes"], json!(["scim:read"]));
    assert_eq!(
        rotated["expiresAt"], old["expiresAt"],
        "the successor keeps the expiry"
    );
    assert_eq!(rotated["previous"]["id"], old["id"]);
    let new_idp = TestTenant {
        token: rotated["token"].as_str().unwrap().to_owned(),
        slug: tenant.slug.clone(),
        base: tenant.base.clone(),
    };
    assert_eq!(
        app.get(&old_idp, "/Users").await.status(),
        200,
        "within the grace"
    );
    assert_eq!(app.get(&new_idp, "/Users").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2300)).await;
    assert_eq!(
        app.get(&old_idp, "/Users").await.status(),
        401,
        "after the grace"
    );
    assert_eq!(app.get(&new_idp, "/Users").await.status(), 200);
    let (_, audit) = status_json(app.operator(Method::GET, "/tenants/acme/audit")).await;
    let actions: Vec<(&str, &str)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["targetId"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(actions.contains(&("token.rotate", old_id)), "{actions:?}");
    assert!(actions.contains(&("token.create", rotated["id"].as_str().unwrap())));
}

#[tokio::test]
async fn rotation_refuses_bad_grace_periods_revoked_tokens_and_other_tenants() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    app.tenant("beta").await;
    let token = app.issue_token("acme", &json!({"name": "okta"})).await;
    let id = token["id"].as_str().unwrap();
    let rotate = |grace: i64| {
        app.operator(Method::POST, &format!("/tokens/{id}/rotate"))
            .json(&json!({"graceSeconds": grace}))
    };
    for grace in [-1, 31 * 86_400, i64::MAX] {
        let (status, body) = status_json(rotate(grace)).await;
        assert_eq!(status, 400, "{grace}: {body}");
        assert_eq!(body["scimType"], "invalidValue");
    }
    let beta_admin = admin_token(&app, "beta").await;
    let (cross, _, _) = exchange(
        tenant_admin(
            &app,
            Method::POST,
            "beta",
            &format!("/tokens/{id}/rotate"),
            &beta_admin.token,
        )
        .body("{}"),
    )
    .await;
    assert_eq!(cross, 404);
    let (revoked, _) = status_json(app.operator(Method::DELETE, &format!("/tokens/{id}"))).await;
    assert_eq!(revoked, 200);
    let (status, _) = status_json(rotate(0)).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn rotating_in_the_console_shows_the_new_token_once_and_can_stop_the_old_one_now() {
    // Arrange
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    let old_id = tenant.token.split('_').nth(1).unwrap().to_owned();
    let session = sign_in(&app, "acme").await;
    let csrf = session.csrf(&app).await;
    let path = format!("/console/t/acme/tokens/{old_id}/rotate");

    // Act
    let refused = session.post(&app, &path, &[("grace_seconds", "0")]).await;
    let rotated = session
        .post(&app, &path, &[("csrf", &csrf), ("grace_seconds", "0")])
        .await;

    // Assert
    assert_eq!(refused.status(), 403, "no CSRF token");
    assert_eq!(rotated.status(), 200);
    let html = rotated.text().await.unwrap();
    let new_idp = TestTenant {
        token: copyable_value(&html, "new-token"),
        slug: tenant.slug.clone(),
        base: tenant.base.clone(),
    };
    assert_eq!(app.get(&tenant, "/Users").await.status(), 401, "no grace");
    assert_eq!(app.get(&new_idp, "/Users").await.status(), 200);
    let odd = session
        .post(&app, &path, &[("csrf", &csrf), ("grace_seconds", "5")])
        .await;
    assert_eq!(odd.status(), 400, "grace periods come from the list");
}
