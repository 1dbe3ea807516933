//! The operator's view: sign-in with the admin key (rate-limited), tenants with health at a
//! glance, tenant creation and setup links through CSRF-guarded forms audited as the
//! operator's session; tenant sessions and strangers get 404 there, and an operator session
//! opens no tenant page.

use reqwest::Method;

use super::support::{
    Session, browser, code_of, copyable_value, hidden_value, redeem, set_cookie, sign_in,
};
use crate::helpers::{ADMIN_KEY, TestApp, spawn_app, spawn_configured, status_json};

async fn submit_key(app: &TestApp, key: &str) -> reqwest::Response {
    browser()
        .post(format!("{}/console/operator", app.origin))
        .form(&[("key", key)])
        .send()
        .await
        .unwrap()
}

async fn operator_session(app: &TestApp) -> Session {
    let response = submit_key(app, ADMIN_KEY).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console/operator/tenants");
    Session {
        cookie: set_cookie(&response).split(';').next().unwrap().to_owned(),
        slug: String::new(),
    }
}

#[tokio::test]
async fn the_operator_signs_in_sees_tenants_creates_one_and_makes_its_setup_link() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    let form = browser()
        .get(format!("{}/console/operator", app.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let wrong = submit_key(&app, "not-the-key").await;
    let operator = operator_session(&app).await;

    // Act
    let tenants = operator.page(&app, "/console/operator/tenants").await;
    let csrf = hidden_value(&tenants, "csrf");
    let created = operator
        .post(
            &app,
            "/console/operator/tenants",
            &[("csrf", &csrf), ("slug", "beta"), ("name", "Beta Inc")],
        )
        .await;
    let created_status = created.status();
    let created_page = created.text().await.unwrap();
    let linked = operator
        .post(
            &app,
            "/console/operator/tenants/beta/setup-links",
            &[("csrf", &csrf), ("expires_in_days", "7")],
        )
        .await;
    let linked_status = linked.status();
    let url = copyable_value(&linked.text().await.unwrap(), "new-link");
    let opened = redeem(&app, &code_of(&url)).await;
    let tenant_page = operator.get(&app, "/console/t/acme").await;
    let tenant_request_log = operator.get(&app, "/console/t/acme/requests").await;

    // Assert
    assert_eq!(wrong.status(), 401);
    assert!(tenants.contains("<code>acme</code>"), "{tenants}");
    assert!(
        !tenants.contains("never"),
        "acme's request shows: {tenants}"
    );
    assert_eq!(created_status, 200);
    assert!(created_page.contains("Tenant beta created") && created_page.contains("Beta Inc"));
    let (status, beta) = status_json(app.operator(Method::GET, "/tenants/beta")).await;
    assert_eq!(status, 200, "{beta}");
    assert_eq!(linked_status, 200);
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], "/console/t/beta");
    assert_eq!(
        tenant_page.status(),
        404,
        "an operator session opens no tenant page"
    );
    assert_eq!(tenant_request_log.status(), 404);
    let (_, audit) = status_json(app.operator(Method::GET, "/tenants/beta/audit")).await;
    let by_session: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["actor"]
                .as_str()
                .unwrap()
                .starts_with("operator-console:")
        })
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(by_session.contains(&"setup_link.create"), "{audit}");
    assert!(by_session.contains(&"tenant.create"), "{audit}");
}

#[tokio::test]
async fn operator_pages_are_absent_to_tenant_sessions_and_strangers_and_forms_need_csrf() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let tenant = sign_in(&app, "acme").await;
    let tenant_csrf = tenant.csrf(&app).await;
    let operator = operator_session(&app).await;

    // Act
    let as_tenant = tenant.get(&app, "/console/operator/tenants").await;
    let tenant_create = tenant
        .post(
            &app,
            "/console/operator/tenants",
            &[("csrf", &tenant_csrf), ("slug", "evil")],
        )
        .await;
    let stranger = browser()
        .get(format!("{}/console/operator/tenants", app.origin))
        .send()
        .await
        .unwrap();
    let forged = operator
        .post(&app, "/console/operator/tenants", &[("slug", "evil")])
        .await;
    let bad_slug = {
        let csrf = hidden_value(
            &operator.page(&app, "/console/operator/tenants").await,
            "csrf",
        );
        operator
            .post(
                &app,
                "/console/operator/tenants",
                &[("csrf", &csrf), ("slug", "Not A Slug!")],
            )
            .await
    };
    let signed_out = {
        let csrf = hidden_value(
            &operator.page(&app, "/console/operator/tenants").await,
            "csrf",
        );
        operator
            .post(&app, "/console/operator/sign-out", &[("csrf", &csrf)])
            .await
    };
    let after = operator.get(&app, "/console/operator/tenants").await;

    // Assert
    assert_eq!(as_tenant.status(), 404);
    assert_eq!(tenant_create.status(), 404);
    assert_eq!(stranger.status(), 404);
    assert_eq!(forged.status(), 403);
    assert_eq!(bad_slug.status(), 400);
    assert_eq!(signed_out.status(), 303);
    assert_eq!(after.status(), 404, "the ended session opens nothing");
    let (status, _) = status_json(app.operator(Method::GET, "/tenants/evil")).await;
    assert_eq!(status, 404, "no tenant was created");
}

#[tokio::test]
async fn operator_sign_in_is_rate_limited_per_client_like_link_redemption() {
    // Arrange
    let app = spawn_configured(|s| s.console.redeem_burst = 2).await;

    // Act
    let first = submit_key(&app, "guess-1").await;
    let second = submit_key(&app, "guess-2").await;
    let third = submit_key(&app, "guess-3").await;
    let right_but_late = submit_key(&app, ADMIN_KEY).await;

    // Assert
    assert_eq!(first.status(), 401);
    assert_eq!(second.status(), 401);
    assert_eq!(third.status(), 429);
    assert_eq!(right_but_late.status(), 429, "the key is not even checked");
}
