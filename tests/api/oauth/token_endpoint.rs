//! `POST /oauth/token`: the client credentials grant, client authentication and RFC 6749
//! §5.2 errors.

use oauth2::basic::BasicErrorResponseType;
use oauth2::{AuthType, TokenResponse};
use scimgate_domain::scope::Scope;
use serde_json::{Value, json};

use super::support::{
    access_token, create_client, error_code, fetch_token, fetch_token_with, get_with, jwt_parts,
    post_token,
};
use crate::helpers::{spawn_tenant, user};

#[tokio::test]
async fn client_credentials_token_works_on_both_scim_bases_of_its_tenant_only() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    app.tenant("globex").await;
    let client = create_client(&app, "acme", &[], json!({"org": "partner-a"})).await;

    // Act
    let token = fetch_token(&app, &client, &[]).await.unwrap();

    // Assert
    assert_eq!(token.token_type().as_ref(), "bearer");
    assert_eq!(token.expires_in().unwrap().as_secs(), 600);
    let scopes: Vec<&str> = token.scopes().unwrap().iter().map(|s| s.as_str()).collect();
    assert_eq!(scopes, ["scim:read", "scim:write", "scim:bulk"]);
    let jwt = token.access_token().secret();
    let created = app
        .post(&acme.with_token(jwt), "/Users", &user("ada"))
        .await;
    assert_eq!(created.status(), 201);
    let via_tenant: Value = get_with(&app, "/t/acme/scim/v2/Users", jwt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(via_tenant["totalResults"], 1);
    let via_token = get_with(&app, "/scim/v2/Users", jwt).await;
    assert_eq!(via_token.status(), 200);
    let other_tenant = get_with(&app, "/t/globex/scim/v2/Users", jwt).await;
    assert_eq!(other_tenant.status(), 401);
}

#[tokio::test]
async fn the_token_carries_tenant_scope_and_fixed_claims() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({"org": "partner-a"})).await;

    // Act
    let jwt = access_token(&app, &client).await;

    // Assert
    let (header, claims) = jwt_parts(&jwt);
    assert_eq!(header["alg"], "ES256");
    assert!(header["kid"].is_string(), "{header}");
    assert_eq!(claims["iss"], app.origin.as_str());
    assert_eq!(claims["sub"], client.id.as_str());
    assert_eq!(claims["aud"], "scimgate");
    assert_eq!(claims["tenant"], "acme");
    assert!(claims["tid"].is_string(), "{claims}");
    assert_eq!(claims["scope"], "scim:read scim:write scim:bulk");
    assert_eq!(claims["claims"], json!({"org": "partner-a"}));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        600
    );
    assert!(claims["jti"].is_string(), "{claims}");
}

#[tokio::test]
async fn client_secret_post_works_like_basic() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;

    // Act
    let token = fetch_token_with(&app, &client, &[], AuthType::RequestBody)
        .await
        .unwrap();

    // Assert
    let listed = get_with(&app, "/scim/v2/Users", token.access_token().secret()).await;
    assert_eq!(listed.status(), 200);
}

#[tokio::test]
async fn a_wrong_secret_is_401_invalid_client_with_a_basic_challenge() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;

    // Act
    let response = post_token(
        &app,
        &[("grant_type", "client_credentials")],
        Some((&client.id, "not-the-secret")),
    )
    .await;

    // Assert
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=\"scimgate\""
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    let mut wrong = client;
    wrong.secret.push('x');
    assert_eq!(
        error_code(fetch_token(&app, &wrong, &[]).await),
        BasicErrorResponseType::InvalidClient
    );
}

#[tokio::test]
async fn an_unknown_grant_type_is_unsupported_grant_type() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;

    // Act
    let response = post_token(
        &app,
        &[
            ("grant_type", "password"),
            ("username", "u"),
            ("password", "p"),
        ],
        Some((&client.id, &client.secret)),
    )
    .await;

    // Assert
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn malformed_requests_are_invalid_request() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;
    let basic = Some((client.id.as_str(), client.secret.as_str()));

    // Act
    let no_grant = post_token(&app, &[("scope", "scim:read")], basic).await;
    let two_methods = post_token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client.id),
            ("client_secret", &client.secret),
        ],
        basic,
    )
    .await;
    let json_body = app
        .client
        .post(format!("{}/oauth/token", app.origin))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();

    // Assert
    for response in [no_grant, two_methods, json_body] {
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_request", "{body}");
    }
}

#[tokio::test]
async fn a_scope_beyond_the_clients_is_invalid_scope() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let reader = create_client(&app, "acme", &[Scope::Read], json!({})).await;

    // Act
    let beyond = fetch_token(&app, &reader, &["scim:write"]).await;
    let unknown = fetch_token(&app, &reader, &["openid"]).await;

    // Assert
    assert_eq!(error_code(beyond), BasicErrorResponseType::InvalidScope);
    assert_eq!(error_code(unknown), BasicErrorResponseType::InvalidScope);
}

#[tokio::test]
async fn a_narrower_scope_reads_but_cannot_write() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;
    let token = fetch_token(&app, &client, &["scim:read"]).await.unwrap();
    let jwt = token.access_token().secret();

    // Act
    let read = get_with(&app, "/t/acme/scim/v2/Users", jwt).await;
    let write = app
        .post(&acme.with_token(jwt), "/Users", &user("ada"))
        .await;

    // Assert
    let scopes: Vec<&str> = token.scopes().unwrap().iter().map(|s| s.as_str()).collect();
    assert_eq!(scopes, ["scim:read"]);
    assert_eq!(read.status(), 200);
    assert_eq!(write.status(), 403);
}
