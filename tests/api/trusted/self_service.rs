//! A tenant admin registers its own authorization server under `/t/{tenant}/admin/v1`: https
//! endpoints on public addresses only (unless the deployment allows a network), its own
//! tenant only, audited, and counted on its own tenant's path only.

use reqwest::Method;
use scimgate_domain::scope::Scope;
use serde_json::{Value, json};

use super::issuer::{FakeIssuer, TestKey};
use super::{AUDIENCE, get, trust_jwks, user_of};
use crate::admin_support::{admin_call, admin_get, admin_token, exchange, tenant_admin};
use crate::helpers::{TestApp, spawn_configured, spawn_tenant};

const ISSUERS: &str = "/trusted-issuers";

fn entry(jwks_url: &str) -> Value {
    json!({
        "issuer": "https://idp.acme.example",
        "audience": AUDIENCE,
        "jwksUrl": jwks_url,
        "allowedScopes": ["scim:users:read"],
    })
}

/// An app whose tenant admins may register endpoints on the loopback network.
async fn app_allowing_loopback() -> TestApp {
    spawn_configured(|s| s.tenant_issuer_allowed_networks = "127.0.0.0/8, ::1".into()).await
}

async fn register(app: &TestApp, slug: &str, token: &str, body: &Value) -> (u16, Value) {
    let request = tenant_admin(app, Method::POST, slug, ISSUERS, token).body(body.to_string());
    let (status, body, _) = exchange(request).await;
    (status, body)
}

#[tokio::test]
async fn a_tenant_admins_endpoints_must_be_https_on_public_addresses() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;

    for url in [
        "http://idp.acme.example/keys",
        "http://127.0.0.1:9/keys",
        "https://127.0.0.1:9/keys",
        "https://localhost:9/keys",
        "https://[::ffff:169.254.169.254]/latest/meta-data",
        "https://10.0.0.8/keys",
    ] {
        // Act
        let (status, body) = register(&app, "acme", &admin.token, &entry(url)).await;

        // Assert
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(body["scimType"], "invalidValue", "{url}: {body}");
    }
    let listed = tenant_admin(&app, Method::GET, "acme", ISSUERS, &admin.token);
    let (status, listed, _) = exchange(listed).await;
    assert_eq!(status, 200);
    assert_eq!(listed["trustedIssuers"], json!([]));
}

#[tokio::test]
async fn a_tenant_admin_manages_its_own_issuers_only() {
    // Arrange
    let app = app_allowing_loopback().await;
    app.tenant("acme").await;
    app.tenant("globex").await;
    let acme = admin_token(&app, "acme").await;
    let globex = admin_token(&app, "globex").await;

    // Act
    let (status, created) = register(
        &app,
        "acme",
        &acme.token,
        &entry("https://127.0.0.1:9/keys"),
    )
    .await;
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    let one = format!("{ISSUERS}/{id}");
    let (as_globex, _, _) = admin_call(&app, Method::DELETE, "globex", &one, &globex.token).await;
    let (wrong_tenant, _, _) = admin_get(&app, "acme", ISSUERS, &globex.token).await;
    let operator_view = app.operator(Method::GET, &format!("/tenants/acme{ISSUERS}"));
    let (_, operator_view, _) = exchange(operator_view).await;
    let (deleted, _, _) = admin_call(&app, Method::DELETE, "acme", &one, &acme.token).await;
    let (_, audit, _) = admin_get(&app, "acme", "/audit", &acme.token).await;

    // Assert
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["registeredBy"], "tenant");
    assert_eq!(as_globex, 404);
    assert_eq!(wrong_tenant, 401);
    assert_eq!(operator_view["trustedIssuers"][0]["id"], id.as_str());
    assert_eq!(deleted, 200);
    let actions: Vec<(&str, &str)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert!(
        actions.contains(&("issuer.create", acme.id.as_str())),
        "{audit}"
    );
    assert!(
        actions.contains(&("issuer.delete", acme.id.as_str())),
        "{audit}"
    );
}

#[tokio::test]
async fn a_tenants_entry_does_not_make_the_operators_issuer_ambiguous_on_the_pathless_base() {
    // Arrange: the operator trusts the issuer for acme; globex's admin names the same issuer.
    let app = app_allowing_loopback().await;
    let acme = app.tenant("acme").await;
    app.tenant("globex").await;
    user_of(&app, &acme, "a1@partner-a.example", "partner-a").await;
    let key = TestKey::es256("ec-1");
    let issuer = FakeIssuer::start(vec![key.clone()]).await;
    trust_jwks(&app, "acme", &issuer, &[Scope::UsersRead], None).await;
    let globex = admin_token(&app, "globex").await;
    let mut copy = entry("https://127.0.0.1:9/keys");
    copy["issuer"] = json!(issuer.url);
    let (registered, _) = register(&app, "globex", &globex.token, &copy).await;
    let token = key.sign(&issuer.claims(AUDIENCE, "scim:users:read"));

    // Act
    let pathless = get(&app, "/scim/v2/Users", &token).await;
    let on_acme = get(&app, "/t/acme/scim/v2/Users", &token).await;

    // Assert
    assert_eq!(registered, 201);
    assert_eq!(pathless.status(), 200);
    let listed: Value = pathless.json().await.unwrap();
    assert_eq!(listed["totalResults"], 1);
    assert_eq!(on_acme.status(), 200);
}
