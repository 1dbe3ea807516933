//! Names of tenants, tokens and OAuth clients are printed in the operator's CLI tables, so
//! both admin APIs refuse control characters, line separators and bidirectional overrides in
//! them (400 `invalidValue`) and store nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{admin_token, exchange, tenant_admin};
use crate::helpers::{ERROR_SCHEMA, TestApp, spawn_app, spawn_tenant};

/// Names a hostile tenant admin might pick: a terminal escape, a forged table row and
/// column, a C1 control, a bidirectional override.
const HOSTILE: [&str; 5] = [
    "okta\u{1b}[2J\u{1b}[31mOPERATOR",
    "okta\nforged\trow",
    "okta\tforged-column",
    "okta\u{9b}31m",
    "okta\u{202e}nimda",
];

fn operator(app: &TestApp, method: Method, path: &str) -> reqwest::RequestBuilder {
    app.operator(method, path)
        .header("Content-Type", "application/json")
}

/// Sends `body` and asserts a SCIM 400 `invalidValue` naming the offending code point.
async fn assert_refused(request: reqwest::RequestBuilder, body: Value, name: &str) {
    let (status, error, text) = exchange(request.body(body.to_string())).await;
    assert_eq!(status, 400, "{name:?}: {text}");
    assert_eq!(error["schemas"], json!([ERROR_SCHEMA]), "{text}");
    assert_eq!(error["scimType"], "invalidValue", "{text}");
    let bad = name
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}'))
        .expect("a hostile character");
    let code = format!("U+{:04X}", u32::from(bad));
    assert!(
        error["detail"].as_str().unwrap_or_default().contains(&code),
        "{code} in {text}"
    );
}

/// The names of a listing (`tokens` or `clients`).
async fn listed_names(request: reqwest::RequestBuilder, member: &str) -> Vec<String> {
    let (status, body, text) = exchange(request).await;
    assert_eq!(status, 200, "{text}");
    body[member]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|item| item["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_operator_api_refuses_unprintable_tenant_token_and_client_names() {
    // Arrange
    let app = spawn_app().await;
    let (status, _, text) = exchange(
        operator(&app, Method::POST, "/tenants").body(json!({"slug": "acme"}).to_string()),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    let (_, token, _) = exchange(
        operator(&app, Method::POST, "/tenants/acme/tokens")
            .body(json!({"name": "okta"}).to_string()),
    )
    .await;
    let (_, client, _) = exchange(
        operator(&app, Method::POST, "/tenants/acme/clients")
            .body(json!({"name": "okta"}).to_string()),
    )
    .await;
    let token_path = format!("/tokens/{}", token["id"].as_str().expect("token id"));
    let client_path = format!(
        "/clients/{}",
        client["clientId"].as_str().expect("client id")
    );

    for name in HOSTILE {
        // Act + Assert
        assert_refused(
            operator(&app, Method::POST, "/tenants"),
            json!({"slug": "evil", "name": name}),
            name,
        )
        .await;
        assert_refused(
            operator(&app, Method::POST, "/tenants/acme/tokens"),
            json!({"name": name}),
            name,
        )
        .await;
        assert_refused(
            operator(&app, Method::PATCH, &token_path),
            json!({"name": name}),
            name,
        )
        .await;
        assert_refused(
            operator(&app, Method::POST, "/tenants/acme/clients"),
            json!({"name": name}),
            name,
        )
        .await;
        assert_refused(
            operator(&app, Method::PATCH, &client_path),
            json!({"name": name}),
            name,
        )
        .await;
    }

    // Assert: nothing was stored or renamed.
    let (_, tenants, _) = exchange(operator(&app, Method::GET, "/tenants")).await;
    assert_eq!(
        tenants["tenants"].as_array().map(Vec::len),
        Some(1),
        "{tenants}"
    );
    let tokens = listed_names(
        operator(&app, Method::GET, "/tenants/acme/tokens"),
        "tokens",
    )
    .await;
    assert_eq!(tokens, ["okta"]);
    let clients = listed_names(
        operator(&app, Method::GET, "/tenants/acme/clients"),
        "clients",
    )
    .await;
    assert_eq!(clients, ["okta"]);
}

#[tokio::test]
async fn tenant_self_service_refuses_unprintable_token_and_client_names() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, &acme.slug).await;
    let before = listed_names(
        tenant_admin(&app, Method::GET, &acme.slug, "/tokens", &admin.token),
        "tokens",
    )
    .await;
    let (_, client, _) = exchange(
        tenant_admin(&app, Method::POST, &acme.slug, "/clients", &admin.token)
            .body(json!({"name": "okta"}).to_string()),
    )
    .await;
    let client_path = format!(
        "/clients/{}",
        client["clientId"].as_str().expect("client id")
    );
    let own_token = format!("/tokens/{}", admin.id);

    for name in HOSTILE {
        // Act + Assert
        for (method, path) in [
            (Method::POST, "/tokens"),
            (Method::PATCH, own_token.as_str()),
            (Method::POST, "/clients"),
            (Method::PATCH, client_path.as_str()),
        ] {
            assert_refused(
                tenant_admin(&app, method, &acme.slug, path, &admin.token),
                json!({"name": name}),
                name,
            )
            .await;
        }
    }

    // Assert: nothing was stored or renamed.
    let after = listed_names(
        tenant_admin(&app, Method::GET, &acme.slug, "/tokens", &admin.token),
        "tokens",
    )
    .await;
    assert_eq!(after, before);
    let clients = listed_names(
        tenant_admin(&app, Method::GET, &acme.slug, "/clients", &admin.token),
        "clients",
    )
    .await;
    assert_eq!(clients, ["okta"]);
}
