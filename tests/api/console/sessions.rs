//! Redeeming setup links into database sessions: the cookie's flags, single use, expiry,
//! revocation, rate limiting, session expiry and sign-out.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::support::{
    Session, browser, code_of, hidden_value, link_url, operator_link, redeem, set_cookie, sign_in,
};
use crate::helpers::{TestApp, spawn_app, spawn_with, status_json, test_settings};

async fn audit(app: &TestApp, slug: &str) -> Vec<serde_json::Value> {
    let (_, page) = status_json(app.operator(Method::GET, &format!("/tenants/{slug}/audit"))).await;
    page["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn opening_a_link_shows_a_button_whose_post_sets_a_strict_cookie_and_redirects() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let url = link_url(&app, "acme").await;

    // Act: the link's page, then its button.
    let opened = browser().get(&url).send().await.unwrap();
    let opened_status = opened.status();
    let html = opened.text().await.unwrap();
    let response = redeem(&app, &hidden_value(&html, "code")).await;

    // Assert
    assert_eq!(opened_status, 200);
    assert_eq!(hidden_value(&html, "code"), code_of(&url));
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console/t/acme");
    let cookie = set_cookie(&response);
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/console",
        "Max-Age=28800",
    ] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    assert!(
        !cookie.contains(&code_of(&url)),
        "the cookie is not the code"
    );
    let session = Session {
        cookie: cookie.split(';').next().unwrap().to_owned(),
        slug: "acme".into(),
    };
    let overview = session.page(&app, "/console/t/acme").await;
    assert!(overview.contains(&format!("{}/t/acme/scim/v2", app.origin)));
    let entries = audit(&app, "acme").await;
    let start = entries
        .iter()
        .find(|e| e["action"] == "console.session.start")
        .unwrap();
    assert!(start["actor"].as_str().unwrap().starts_with("setup-link:"));
    assert_eq!(start["status"], 201);
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_public_url_is_https() {
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&data);
    settings.public_url = Some("https://scim.example.com".into());
    let app = spawn_with(settings, data).await;
    app.tenant("acme").await;
    let url = link_url(&app, "acme").await;
    assert!(
        url.starts_with("https://scim.example.com/console/setup/"),
        "{url}"
    );

    let response = redeem(&app, &code_of(&url)).await;

    assert_eq!(response.status(), 303);
    assert!(set_cookie(&response).contains("; Secure"));
}

#[tokio::test]
async fn a_used_revoked_expired_or_made_up_link_is_refused() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let used = code_of(&link_url(&app, "acme").await);
    assert_eq!(redeem(&app, &used).await.status(), 303);
    let (_, revoked) = operator_link(&app, "acme", json!({})).await;
    let id = revoked["id"].as_str().unwrap();
    let (status, _) =
        status_json(app.operator(Method::DELETE, &format!("/tenants/acme/setup-links/{id}"))).await;
    assert_eq!(status, 200);
    let soon = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let (_, expiring) =
        operator_link(&app, "acme", json!({ "expiresAt": soon.to_rfc3339() })).await;
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let tenant_id = used.split('_').next().unwrap();

    // Act + Assert
    for (code, case) in [
        (used.clone(), "used"),
        (code_of(revoked["url"].as_str().unwrap()), "revoked"),
        (code_of(expiring["url"].as_str().unwrap()), "expired"),
        (format!("{tenant_id}_{}", "a".repeat(43)), "made up"),
        ("garbage".to_owned(), "malformed"),
    ] {
        let response = redeem(&app, &code).await;
        assert_eq!(response.status(), 404, "{case}");
        assert!(set_cookie(&response).is_empty(), "{case}: no cookie");
    }
    let (_, listed) = status_json(app.operator(Method::GET, "/tenants/acme/setup-links")).await;
    let statuses: Vec<&str> = listed["setupLinks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["expired", "revoked", "redeemed"]);
    let refused = audit(&app, "acme")
        .await
        .into_iter()
        .filter(|e| e["action"] == "console.session.start" && e["status"] == 404)
        .count();
    assert_eq!(
        refused, 4,
        "refusals of codes naming the tenant are audited"
    );
}

#[tokio::test]
async fn redemption_attempts_are_rate_limited_per_client() {
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&data);
    settings.console.redeem_burst = 3;
    let app = spawn_with(settings, data).await;
    app.tenant("acme").await;
    for _ in 0..3 {
        assert_eq!(redeem(&app, "made-up").await.status(), 404);
    }
    let url = link_url(&app, "acme").await;

    let limited = redeem(&app, &code_of(&url)).await;

    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        redeem(&app, &code_of(&url)).await.status(),
        303,
        "the link survived"
    );
}

#[tokio::test]
async fn sessions_expire() {
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&data);
    settings.console.session_ttl = Duration::from_secs(1);
    let app = spawn_with(settings, data).await;
    app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    assert_eq!(session.get(&app, "/console/t/acme").await.status(), 200);

    tokio::time::sleep(Duration::from_millis(1300)).await;

    let response = session.get(&app, "/console/t/acme").await;
    assert_eq!(response.status(), 401);
    assert!(response.text().await.unwrap().contains("setup link"));
}

#[tokio::test]
async fn signing_out_ends_the_session_for_every_copy_of_the_cookie() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let csrf = session.csrf(&app).await;

    // Act
    let response = session
        .post(&app, "/console/t/acme/sign-out", &[("csrf", &csrf)])
        .await;

    // Assert
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console/signed-out");
    assert!(set_cookie(&response).contains("Max-Age=0"));
    assert_eq!(session.get(&app, "/console/t/acme").await.status(), 401);
    assert_eq!(
        session.get(&app, "/console/t/acme/tokens").await.status(),
        401
    );
    let ended = audit(&app, "acme")
        .await
        .into_iter()
        .any(|e| e["action"] == "console.session.end" && e["status"] == 200);
    assert!(ended);
}
