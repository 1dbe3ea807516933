//! What a console session sees and does: headers, CSRF, tenant isolation, tokens that work
//! against the SCIM API, the overview and the IdP guides.

use reqwest::Method;

use super::support::{Session, copyable_value, hidden_value, sign_in};
use crate::helpers::{
    TestApp, TestTenant, spawn_app, spawn_with, status_json, test_settings, user,
};

async fn token_count(app: &TestApp, slug: &str) -> usize {
    let (status, body) =
        status_json(app.operator(Method::GET, &format!("/tenants/{slug}/tokens"))).await;
    assert_eq!(status, 200);
    body["tokens"].as_array().unwrap().len()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn console_pages_carry_a_csp_without_unsafe_inline_and_no_inline_code() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;

    for path in [
        "/console/t/acme",
        "/console/t/acme/tokens",
        "/console/t/acme/guides/okta",
        "/console/setup/whatever",
        "/console/t/beta",
    ] {
        // Act
        let response = session.get(&app, path).await;

        // Assert
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        let html = response.text().await.unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(!html.contains(" style="), "{path}: inline style");
        assert!(!html.contains("<style"), "{path}: inline style");
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=\"/console/assets/console.js\" defer></script>")
                .count(),
            "{path}: only the first-party script"
        );
    }
    let css = app
        .client
        .get(format!("{}/console/assets/console.css", app.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(header(&css, "content-type").starts_with("text/css"));
}

#[tokio::test]
async fn frame_ancestors_follow_the_setting() {
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&data);
    settings.console.frame_ancestors = "https://app.example.com".into();
    let app = spawn_with(settings, data).await;

    let response = app
        .client
        .get(format!("{}/console/setup/x", app.origin))
        .send()
        .await
        .unwrap();

    let csp = header(&response, "content-security-policy");
    assert!(
        csp.ends_with("frame-ancestors https://app.example.com"),
        "{csp}"
    );
}

#[tokio::test]
async fn posts_without_or_with_a_wrong_csrf_token_are_refused_and_change_nothing() {
    // Arrange
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let other = sign_in(&app, "acme").await;
    let others_csrf = other.csrf(&app).await;
    let token_id = tenant.token.split('_').nth(1).unwrap().to_owned();
    let before = token_count(&app, "acme").await;

    for csrf in [None, Some("wrong"), Some(others_csrf.as_str())] {
        let mut form = vec![("name", "sneaky")];
        if let Some(csrf) = csrf {
            form.push(("csrf", csrf));
        }
        // Act
        let create = session.post(&app, "/console/t/acme/tokens", &form).await;
        let revoke = session
            .post(
                &app,
                &format!("/console/t/acme/tokens/{token_id}/revoke"),
                &form,
            )
            .await;
        let sign_out = session.post(&app, "/console/t/acme/sign-out", &form).await;

        // Assert
        assert_eq!(create.status(), 403, "create with {csrf:?}");
        assert_eq!(revoke.status(), 403, "revoke with {csrf:?}");
        assert_eq!(sign_out.status(), 403, "sign-out with {csrf:?}");
    }
    assert_eq!(token_count(&app, "acme").await, before);
    assert_eq!(
        app.get(&tenant, "/Users").await.status(),
        200,
        "not revoked"
    );
    assert_eq!(
        session.get(&app, "/console/t/acme").await.status(),
        200,
        "still signed in"
    );
    let cross_site = reqwest::Client::new()
        .post(format!("{}/console/setup", app.origin))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("code", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403, "login CSRF");
}

#[tokio::test]
async fn a_session_of_one_tenant_gets_404_for_another_tenants_pages() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let beta = app.tenant("beta").await;
    let session = sign_in(&app, "acme").await;
    let csrf = session.csrf(&app).await;
    let beta_token = beta.token.split('_').nth(1).unwrap().to_owned();
    let before = token_count(&app, "beta").await;

    // Act + Assert
    for path in [
        "/console/t/beta",
        "/console/t/beta/tokens",
        "/console/t/beta/guides/okta",
        "/console/t/nope",
    ] {
        assert_eq!(session.get(&app, path).await.status(), 404, "{path}");
    }
    let create = session
        .post(
            &app,
            "/console/t/beta/tokens",
            &[("csrf", &csrf), ("name", "x")],
        )
        .await;
    assert_eq!(create.status(), 404);
    let revoke = session
        .post(
            &app,
            &format!("/console/t/acme/tokens/{beta_token}/revoke"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(revoke.status(), 404, "beta's token through acme's pages");
    assert_eq!(token_count(&app, "beta").await, before);
    assert_eq!(app.get(&beta, "/Users").await.status(), 200);
    let anonymous = Session {
        cookie: String::new(),
        slug: "acme".into(),
    };
    assert_eq!(anonymous.get(&app, "/console/t/acme").await.status(), 401);
}

#[tokio::test]
async fn a_token_created_in_the_console_works_until_it_is_revoked_there() {
    // Arrange
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let csrf = session.csrf(&app).await;

    // Act: create.
    let created = session
        .post(
            &app,
            "/console/t/acme/tokens",
            &[("csrf", &csrf), ("name", "Okta"), ("expires_in_days", "30")],
        )
        .await;
    assert_eq!(created.status(), 200);
    let html = created.text().await.unwrap();
    let token = copyable_value(&html, "new-token");
    let idp = TestTenant {
        token: token.clone(),
        ..tenant
    };

    // Assert: it provisions, and the overview counts it.
    assert_eq!(
        app.post(&idp, "/Users", &user("ada@example.com"))
            .await
            .status(),
        201
    );
    let overview = session.page(&app, "/console/t/acme").await;
    assert!(overview.contains("<strong>1</strong>users"), "one user");
    assert!(overview.contains("user.create"));
    let listing = session.page(&app, "/console/t/acme/tokens").await;
    assert!(listing.contains("Okta"));
    assert!(!listing.contains(&token), "the value is shown once");

    // Act: revoke.
    let id = token.split('_').nth(1).unwrap();
    let revoked = session
        .post(
            &app,
            &format!("/console/t/acme/tokens/{id}/revoke"),
            &[("csrf", &hidden_value(&listing, "csrf"))],
        )
        .await;

    // Assert
    assert_eq!(revoked.status(), 303);
    assert_eq!(revoked.headers()["location"], "/console/t/acme/tokens");
    assert_eq!(app.get(&idp, "/Users").await.status(), 401);
    let (_, page) = status_json(app.operator(Method::GET, "/tenants/acme/audit")).await;
    let console_actions: Vec<(&str, &str)> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"].as_str().unwrap().starts_with("console:"))
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["targetId"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        console_actions.contains(&("token.create", id)),
        "{console_actions:?}"
    );
    assert!(
        console_actions.contains(&("token.revoke", id)),
        "{console_actions:?}"
    );
}

#[tokio::test]
async fn every_idp_guide_fills_in_the_tenants_base_url() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let base = format!("{}/t/acme/scim/v2", app.origin);
    let index = session.page(&app, "/console/t/acme/guides").await;

    for guide in [
        "okta",
        "entra-id",
        "google-workspace",
        "onelogin",
        "jumpcloud",
        "ping",
    ] {
        assert!(
            index.contains(&format!("/console/t/acme/guides/{guide}")),
            "{guide} listed"
        );
        let html = session
            .page(&app, &format!("/console/t/acme/guides/{guide}"))
            .await;
        assert!(html.contains(&base), "{guide}");
        assert!(html.contains("userName"), "{guide}: attribute mappings");
        assert!(
            html.contains("/console/t/acme/tokens"),
            "{guide}: where the token comes from"
        );
    }
    assert_eq!(
        session
            .get(&app, "/console/t/acme/guides/nope")
            .await
            .status(),
        404
    );
}
