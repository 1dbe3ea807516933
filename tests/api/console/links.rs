//! Setup links through the operator API, the tenant-admin API and the CLI.

use clap::Parser;
use reqwest::Method;
use scimgate_api::cli::{Cli, Command};
use serde_json::{Value, json};

use super::support::{code_of, operator_link, redeem};
use crate::admin_support::{admin_token, exchange, issue, tenant_admin};
use crate::helpers::{TestApp, spawn_app, status_json};

async fn audit_actions(app: &TestApp, slug: &str) -> Vec<(String, String, u64)> {
    let (status, page) =
        status_json(app.operator(Method::GET, &format!("/tenants/{slug}/audit"))).await;
    assert_eq!(status, 200);
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_operator_creates_lists_and_revokes_setup_links_and_each_is_audited() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;

    // Act
    let (status, created) = operator_link(&app, "acme", json!({})).await;
    let (_, listed) = status_json(app.operator(Method::GET, "/tenants/acme/setup-links")).await;
    let id = created["id"].as_str().unwrap();
    let (revoked_status, revoked) =
        status_json(app.operator(Method::DELETE, &format!("/tenants/acme/setup-links/{id}"))).await;

    // Assert
    assert_eq!(status, 201, "{created}");
    let url = created["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/console/setup/", app.origin)),
        "{url}"
    );
    assert_eq!(created["status"], "active");
    assert_eq!(created["createdBy"], "operator");
    let created_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(created["created"].clone()).unwrap();
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(created["expiresAt"].clone()).unwrap();
    assert_eq!((expires - created_at).num_days(), 7, "the default lifetime");
    let links = listed["setupLinks"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["id"], created["id"]);
    assert!(links[0].get("url").is_none(), "the URL is shown once only");
    assert!(!listed.to_string().contains(&code_of(url)));
    assert_eq!(revoked_status, 200);
    assert_eq!(revoked["status"], "revoked");
    let actions = audit_actions(&app, "acme").await;
    assert!(actions.contains(&("setup_link.create".into(), "operator".into(), 201)));
    assert!(actions.contains(&("setup_link.revoke".into(), "operator".into(), 200)));
    assert_eq!(redeem(&app, &code_of(url)).await.status(), 404);
}

#[tokio::test]
async fn link_expiry_must_be_in_the_future_and_within_thirty_days() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let now = chrono::Utc::now();
    for (expires, case) in [
        (now - chrono::Duration::minutes(1), "past"),
        (now + chrono::Duration::days(31), "too far"),
    ] {
        let (status, body) =
            operator_link(&app, "acme", json!({ "expiresAt": expires.to_rfc3339() })).await;
        assert_eq!(status, 400, "{case}: {body}");
        assert_eq!(body["scimType"], "invalidValue", "{case}");
    }
    let (status, body) = operator_link(&app, "acme", json!({ "expires": "7d" })).await;
    assert_eq!(status, 400, "unknown member: {body}");
    let (status, _) = operator_link(&app, "nope", json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_tenant_admin_makes_links_for_its_own_tenant_and_cannot_touch_another_tenants() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    app.tenant("beta").await;
    let admin = admin_token(&app, "acme").await;
    let reader = issue(&app, "acme", &[scimgate_domain::scope::Scope::Read]).await;
    let (_, beta_link) = operator_link(&app, "beta", json!({})).await;
    let beta_id = beta_link["id"].as_str().unwrap();

    // Act
    let (status, created, _) =
        exchange(tenant_admin(&app, Method::POST, "acme", "/setup-links", &admin.token).body("{}"))
            .await;
    let (list_status, listed, _) = exchange(tenant_admin(
        &app,
        Method::GET,
        "acme",
        "/setup-links",
        &admin.token,
    ))
    .await;
    let (cross, _, _) = exchange(tenant_admin(
        &app,
        Method::DELETE,
        "acme",
        &format!("/setup-links/{beta_id}"),
        &admin.token,
    ))
    .await;
    let (other_tenant, _, _) = exchange(tenant_admin(
        &app,
        Method::GET,
        "beta",
        "/setup-links",
        &admin.token,
    ))
    .await;
    let (no_scope, _, _) = exchange(
        tenant_admin(&app, Method::POST, "acme", "/setup-links", &reader.token).body("{}"),
    )
    .await;

    // Assert
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["createdBy"], Value::String(admin.id.clone()));
    assert_eq!(list_status, 200);
    assert_eq!(listed["setupLinks"].as_array().unwrap().len(), 1);
    assert_eq!(
        cross, 404,
        "another tenant's link is as absent as a missing one"
    );
    assert_eq!(
        other_tenant, 401,
        "a token of acme is no credential for beta"
    );
    assert_eq!(no_scope, 403);
    let actions = audit_actions(&app, "acme").await;
    assert!(actions.contains(&("setup_link.create".into(), admin.id.clone(), 201)));
    let (_, beta_links) = status_json(app.operator(Method::GET, "/tenants/beta/setup-links")).await;
    assert_eq!(beta_links["setupLinks"][0]["status"], "active");
    let url = created["url"].as_str().unwrap();
    assert_eq!(redeem(&app, &code_of(url)).await.status(), 303);
}

#[tokio::test]
async fn scimgate_console_link_prints_a_url_that_opens_the_console() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let cli = Cli::try_parse_from([
        "scimgate",
        "console",
        "link",
        "--tenant",
        "acme",
        "--expires",
        "2d",
    ])
    .unwrap();
    let Some(Command::Console(command)) = cli.command else {
        panic!("`console link` parses as the console command");
    };

    // Act
    let url = scimgate_api::cli::console::run(&app.state, &app.origin, command)
        .await
        .unwrap();

    // Assert
    assert!(
        url.starts_with(&format!("{}/console/setup/", app.origin)),
        "{url}"
    );
    let (_, listed) = status_json(app.operator(Method::GET, "/tenants/acme/setup-links")).await;
    let link = &listed["setupLinks"][0];
    let created: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(link["created"].clone()).unwrap();
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(link["expiresAt"].clone()).unwrap();
    let off = (expires - created - chrono::Duration::hours(48)).num_seconds();
    assert!(
        off.abs() <= 5,
        "two days from when the command ran: {off} s off"
    );
    let response = redeem(&app, &code_of(&url)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console/t/acme");
    let unknown = Cli::try_parse_from(["scimgate", "console", "link", "--tenant", "nope"]).unwrap();
    let Some(Command::Console(command)) = unknown.command else {
        panic!("parses");
    };
    assert!(
        scimgate_api::cli::console::run(&app.state, &app.origin, command)
            .await
            .is_err()
    );
}
