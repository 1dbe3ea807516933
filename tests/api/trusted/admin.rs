//! The operator's API for trusted issuers: create, list, delete, and 400s for bad input.

use serde_json::{Value, json};

use super::issuer::{FakeIssuer, TestKey};
use super::{AUDIENCE, assert_invalid_token, get, org_policy};
use crate::helpers::{TestApp, assert_scim_error, send, spawn_tenant};

async fn admin(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let request = app.operator(method, path);
    send(match body {
        Some(body) => request.json(body),
        None => request,
    })
    .await
}

/// Registers `body` as a trusted issuer of tenant `slug` through the operator API.
async fn post_issuer(app: &TestApp, slug: &str, body: &Value) -> reqwest::Response {
    let path = format!("/tenants/{slug}/trusted-issuers");
    admin(app, reqwest::Method::POST, &path, Some(body)).await
}

#[tokio::test]
async fn operator_creates_lists_and_deletes_a_trusted_issuer() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let key = TestKey::es256("ec-1");
    let issuer = FakeIssuer::start(vec![key.clone()]).await;
    let mut claims = issuer.claims(AUDIENCE, "scim:read");
    claims["org"] = json!("partner-a");
    let token = key.sign(&claims);
    let path = "/tenants/acme/trusted-issuers";

    // Act: create a JWKS entry and an introspection entry.
    let jwks = admin(
        &app,
        reqwest::Method::POST,
        path,
        Some(&json!({
            "issuer": issuer.url, "audience": AUDIENCE, "jwksUrl": issuer.jwks_url(),
            "allowedScopes": ["scim:read"], "copyClaims": ["org"], "policy": org_policy(),
        })),
    )
    .await;
    let introspection = admin(
        &app,
        reqwest::Method::POST,
        path,
        Some(&json!({
            "issuer": "https://idp.example.com", "audience": AUDIENCE,
            "introspectionUrl": "https://idp.example.com/introspect",
            "clientId": "scimgate", "clientSecret": "do-not-echo-me", "scopeClaim": "scp",
        })),
    )
    .await;

    // Assert
    assert_eq!(jwks.status(), 201);
    let created: Value = jwks.json().await.unwrap();
    assert_eq!(created["jwksUrl"], issuer.jwks_url());
    assert_eq!(created["allowedScopes"], json!(["scim:read"]));
    assert_eq!(created["scopeClaim"], "scope");
    assert_eq!(introspection.status(), 201);
    let listed = admin(&app, reqwest::Method::GET, path, None).await;
    let listed_text = listed.text().await.unwrap();
    assert!(!listed_text.contains("do-not-echo-me"), "{listed_text}");
    let listed: Value = serde_json::from_str(&listed_text).unwrap();
    assert_eq!(listed["trustedIssuers"].as_array().unwrap().len(), 2);
    assert_eq!(listed["trustedIssuers"][1]["clientId"], "scimgate");
    assert_eq!(
        get(&app, "/t/acme/scim/v2/Users", &token).await.status(),
        200
    );

    // Act: delete the JWKS entry; its tokens are refused at once.
    let id = created["id"].as_str().unwrap();
    let deleted = admin(&app, reqwest::Method::DELETE, &format!("{path}/{id}"), None).await;
    assert_eq!(deleted.status(), 200);
    assert_invalid_token(get(&app, "/t/acme/scim/v2/Users", &token).await).await;
    let again = admin(&app, reqwest::Method::DELETE, &format!("{path}/{id}"), None).await;
    assert_scim_error(again, 404, None).await;

    // The changes are in the tenant's audit log, by the operator, without the secret.
    let audit = admin(&app, reqwest::Method::GET, "/tenants/acme/audit", None).await;
    let audit_text = audit.text().await.unwrap();
    assert!(!audit_text.contains("do-not-echo-me"), "{audit_text}");
    let audit: Value = serde_json::from_str(&audit_text).unwrap();
    let issuer_entries: Vec<(String, String, u64)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"]
                .as_str()
                .unwrap_or_default()
                .starts_with("issuer.")
        })
        .map(|e| {
            assert_eq!(e["actor"], "operator");
            (
                e["action"].as_str().unwrap().to_owned(),
                e["targetId"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    // Newest first: the failed delete, the delete, then both creates.
    assert_eq!(issuer_entries.len(), 4, "{issuer_entries:?}");
    assert_eq!(
        issuer_entries[0],
        ("issuer.delete".to_owned(), id.to_owned(), 404)
    );
    assert_eq!(
        issuer_entries[1],
        ("issuer.delete".to_owned(), id.to_owned(), 200)
    );
    assert_eq!(
        issuer_entries[3],
        ("issuer.create".to_owned(), id.to_owned(), 201)
    );
    assert_eq!(issuer_entries[2].0, "issuer.create");
}

#[tokio::test]
async fn invalid_trusted_issuers_are_refused_with_400() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let base = json!({"issuer": "https://idp.example.com", "audience": AUDIENCE,
                      "jwksUrl": "https://idp.example.com/keys"});
    let with = |change: Value| {
        let mut body = base.clone();
        for (k, v) in change.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    let cases = [
        (
            with(json!({"jwksUrl": "http://idp.example.com/keys"})),
            "invalidValue",
        ),
        (with(json!({"jwksUrl": "not a url"})), "invalidValue"),
        (with(json!({"issuer": "idp.example.com"})), "invalidValue"),
        (
            with(json!({"introspectionUrl": "https://idp.example.com/i"})),
            "invalidValue",
        ),
        (with(json!({"jwksUrl": null})), "invalidValue"),
        (
            with(
                json!({"jwksUrl": null, "introspectionUrl": "https://idp.example.com/i",
                     "clientId": "x"}),
            ),
            "invalidValue",
        ),
        (
            with(json!({"allowedScopes": ["scim:everything"]})),
            "invalidValue",
        ),
        (with(json!({"copyClaims": ["{{org}}"]})), "invalidValue"),
        (
            with(json!({"policy": {"userFilter": "nonsense eq"}})),
            "invalidFilter",
        ),
        (with(json!({"audience": null})), "invalidSyntax"),
        (with(json!({"unknown": 1})), "invalidSyntax"),
    ];

    for (body, scim_type) in cases {
        // Act
        let response = post_issuer(&app, "acme", &body).await;

        // Assert
        let status = response.status();
        assert_eq!(status, 400, "{body}");
        assert_scim_error(response, 400, Some(scim_type)).await;
    }
    let created = post_issuer(&app, "acme", &base).await;
    assert_eq!(created.status(), 201);
    let twice = post_issuer(&app, "acme", &base).await;
    assert_scim_error(twice, 409, None).await;
    let unknown = post_issuer(&app, "nobody", &base).await;
    assert_scim_error(unknown, 404, None).await;
}
