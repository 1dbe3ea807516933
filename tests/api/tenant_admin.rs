//! Tenant self-service under `/t/{tenant}/admin/v1`: a `scim:admin` token manages its own
//! tenant's OAuth clients (policies included) and tokens, and nothing of another tenant.

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{
    admin_call, admin_get, admin_send, admin_token, challenge, exchange, issue, tenant_admin,
};
use crate::helpers::{ADMIN_KEY, ENTERPRISE, TestApp, USER_SCHEMA, spawn_tenant, texts};
use crate::oauth::support::{TestClient, access_token, create_client};

fn org_path() -> String {
    format!("{ENTERPRISE}:organization")
}

fn partner_policy(readable: &[&str]) -> Value {
    json!({
        "userFilter": format!("{} eq \"{{{{claims.org}}}}\"", org_path()),
        "readable": readable,
        "writable": ["userName", "emails", org_path()],
    })
}

fn partner_user(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        "emails": [{"value": format!("{user_name}@partner.example"), "type": "work"}],
        ENTERPRISE: {"organization": org},
    })
}

async fn scim(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, format!("{}/t/acme/scim/v2{path}", app.origin))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/scim+json")
            .body(body.to_string());
    }
    let (status, body, _) = exchange(request).await;
    (status, body)
}

#[tokio::test]
async fn tenant_admin_creates_a_partner_client_and_changes_its_policy() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;
    let readable = ["userName", "emails", org_path().as_str()].map(str::to_owned);
    let readable: Vec<&str> = readable.iter().map(String::as_str).collect();

    // Act: create the partner's client, then use it.
    let (status, created, _) = exchange(
        tenant_admin(&app, Method::POST, "acme", "/clients", &admin.token).body(
            json!({"name": "partner-a", "scopes": ["scim:users:write"],
                   "claims": {"org": "partner-a"}, "policy": partner_policy(&readable)})
            .to_string(),
        ),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let client = TestClient {
        id: created["clientId"].as_str().unwrap().to_owned(),
        secret: created["clientSecret"].as_str().unwrap().to_owned(),
    };
    let partner = access_token(&app, &client).await;
    let (own, user) = scim(
        &app,
        Method::POST,
        "/Users",
        &partner,
        Some(&partner_user("p1", "partner-a")),
    )
    .await;
    let (other, _) = scim(
        &app,
        Method::POST,
        "/Users",
        &partner,
        Some(&partner_user("x1", "globex")),
    )
    .await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let (_, before) = scim(&app, Method::GET, &path, &partner, None).await;

    // Act: narrow what the partner reads; its outstanding token follows at once.
    let (status, updated, _) = admin_send(
        &app,
        Method::PATCH,
        "acme",
        &format!("/clients/{}", client.id),
        &admin.token,
        &json!({"policy": partner_policy(&["userName", org_path().as_str()])}),
    )
    .await;
    let (_, after) = scim(&app, Method::GET, &path, &partner, None).await;
    let (_, fetched, _) = admin_call(
        &app,
        Method::GET,
        "acme",
        &format!("/clients/{}", client.id),
        &admin.token,
    )
    .await;

    // Assert
    assert_eq!((own, other), (201, 403));
    assert!(before.get("emails").is_some(), "{before}");
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["scopes"],
        json!(["scim:users:write"]),
        "scopes kept"
    );
    assert_eq!(
        updated["claims"],
        json!({"org": "partner-a"}),
        "claims kept"
    );
    assert!(after.get("emails").is_none(), "{after}");
    assert_eq!(after["userName"], "p1");
    assert_eq!(fetched["policy"]["readable"], updated["policy"]["readable"]);
    assert!(fetched.get("clientSecret").is_none(), "{fetched}");
}

#[tokio::test]
async fn tenant_admin_issues_lists_and_revokes_its_tokens() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;

    // Act
    let (status, issued, _) = admin_send(
        &app,
        Method::POST,
        "acme",
        "/tokens",
        &admin.token,
        &json!({"name": "okta", "scopes": ["scim:read"]}),
    )
    .await;
    let token = issued["token"].as_str().unwrap().to_owned();
    let (read, _) = scim(&app, Method::GET, "/Users", &token, None).await;
    let (_, listed, _) = admin_get(&app, "acme", "/tokens", &admin.token).await;
    let one = format!("/tokens/{}", issued["id"].as_str().unwrap());
    let (got, fetched, _) = admin_get(&app, "acme", &one, &admin.token).await;
    let (revoked, _, _) = admin_call(&app, Method::DELETE, "acme", &one, &admin.token).await;
    let (after, _) = scim(&app, Method::GET, "/Users", &token, None).await;

    // Assert
    assert_eq!(status, 201, "{issued}");
    assert_eq!(issued["scopes"], json!(["scim:read"]));
    assert_eq!(read, 200);
    let names = texts(&listed, "tokens", "name");
    assert!(names.contains(&"okta".into()), "{listed}");
    assert!(
        !listed
            .to_string()
            .contains(token.rsplit('_').next().unwrap()),
        "no secrets listed"
    );
    assert_eq!(got, 200);
    assert_eq!(fetched["name"], "okta");
    assert!(fetched.get("token").is_none(), "{fetched}");
    assert_eq!((revoked, after), (200, 401));
}

#[tokio::test]
async fn tenant_admin_cannot_touch_another_tenant() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let admin = admin_token(&app, "acme").await;
    let their_client = create_client(&app, "globex", &[], json!({})).await;
    let their_token = issue(&app, "globex", &[]).await;
    let client_path = format!("/clients/{}", their_client.id);

    // Act
    let (listing, _, _) = admin_get(&app, "globex", "/clients", &admin.token).await;
    let (minting, _, _) =
        exchange(tenant_admin(&app, Method::POST, "globex", "/tokens", &admin.token).body("{}"))
            .await;
    let (get, _, _) = admin_get(&app, "acme", &client_path, &admin.token).await;
    let (patch, _, _) = admin_send(
        &app,
        Method::PATCH,
        "acme",
        &client_path,
        &admin.token,
        &json!({"policy": null}),
    )
    .await;
    let (delete, _, _) = admin_call(&app, Method::DELETE, "acme", &client_path, &admin.token).await;
    let (revoke, _, _) = admin_call(
        &app,
        Method::DELETE,
        "acme",
        &format!("/tokens/{}", their_token.id),
        &admin.token,
    )
    .await;
    let (get_token, _, _) = admin_call(
        &app,
        Method::GET,
        "acme",
        &format!("/tokens/{}", their_token.id),
        &admin.token,
    )
    .await;
    let (still_valid, _, _) = exchange(
        app.client
            .get(format!("{}/Users", globex.base))
            .bearer_auth(&their_token.token),
    )
    .await;
    let (client_still_valid, _, _) = exchange(
        app.client
            .get(format!("{}/Users", globex.base))
            .bearer_auth(access_token(&app, &their_client).await),
    )
    .await;

    // Assert
    assert_eq!((listing, minting), (401, 401), "another tenant's path");
    assert_eq!(
        (get, patch, delete, revoke, get_token),
        (404, 404, 404, 404, 404),
        "another tenant's ids"
    );
    assert_eq!((still_valid, client_still_valid), (200, 200));
}

#[tokio::test]
async fn tenant_admin_api_needs_a_tenant_token_with_the_admin_scope() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = tenant_admin(&app, Method::GET, "acme", "/clients", &acme.token)
        .send()
        .await
        .unwrap();
    let challenge = challenge(&response);
    let (scim_token, body) = (response.status().as_u16(), response.text().await.unwrap());
    let (operator_key, _, _) = exchange(tenant_admin(
        &app,
        Method::GET,
        "acme",
        "/clients",
        ADMIN_KEY,
    ))
    .await;
    let (anonymous, _, _) = exchange(
        app.client
            .get(format!("{}/t/acme/admin/v1/clients", app.origin)),
    )
    .await;
    let (tenant_creation, _, _) = exchange(
        app.client
            .post(format!("{}/admin/v1/tenants", app.origin))
            .bearer_auth(admin_token(&app, "acme").await.token)
            .header("Content-Type", "application/json")
            .body(json!({"slug": "evil"}).to_string()),
    )
    .await;

    // Assert
    assert_eq!(scim_token, 403, "{body}");
    assert!(challenge.contains("insufficient_scope"), "{challenge}");
    assert!(body.contains("scim:admin"), "{body}");
    assert_eq!((operator_key, anonymous), (401, 401));
    assert_eq!(
        tenant_creation, 401,
        "the operator API takes the operator key only"
    );
}

#[tokio::test]
async fn operator_updates_and_removes_a_client_policy() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({"org": "a"})).await;
    let url = format!("{}/admin/v1/clients/{}", app.origin, client.id);
    let patch = |body: Value| {
        app.client
            .patch(&url)
            .bearer_auth(ADMIN_KEY)
            .header("Content-Type", "application/json")
            .body(body.to_string())
    };

    // Act
    let (set, with_policy, _) = exchange(patch(json!({
        "scopes": ["scim:read"], "claims": {"org": "b"}, "policy": partner_policy(&["userName"]),
    })))
    .await;
    let (removed, without, _) = exchange(patch(json!({"policy": null}))).await;
    let (bad, _, _) = exchange(patch(json!({"policy": {"readable": ["noSuchAttribute"]}}))).await;
    let (unknown, _, _) = exchange(patch(json!({"secret": "x"}))).await;
    exchange(app.client.delete(&url).bearer_auth(ADMIN_KEY)).await;
    let (revoked, _, _) = exchange(patch(json!({"name": "again"}))).await;

    // Assert
    assert_eq!(set, 200, "{with_policy}");
    assert_eq!(with_policy["scopes"], json!(["scim:read"]));
    assert_eq!(with_policy["claims"], json!({"org": "b"}));
    assert_eq!(with_policy["policy"]["readable"], json!(["userName"]));
    assert_eq!(removed, 200, "{without}");
    assert!(without["policy"].is_null(), "{without}");
    assert_eq!(
        without["scopes"],
        json!(["scim:read"]),
        "untouched members kept"
    );
    assert_eq!((bad, unknown), (400, 400));
    assert_eq!(revoked, 409, "a revoked client stays revoked");
}
