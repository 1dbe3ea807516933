//! scimgate's access tokens as bearer tokens: revocation, expiry, forged signatures, issuer,
//! and the principal they stand for.

use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use scimgate_domain::oauth::client::ClientId;
use scimgate_domain::service::admin::context::AdminContext;
use serde_json::json;

use super::support::{access_token, create_client, error_code, fetch_token, get_with, jwt_parts};
use crate::helpers::{assert_scim_error, spawn_configured, spawn_tenant};

#[tokio::test]
async fn a_revoked_client_gets_no_token_and_its_outstanding_token_is_refused() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;
    let jwt = access_token(&app, &client).await;
    assert_eq!(get_with(&app, "/scim/v2/Users", &jwt).await.status(), 200);

    // Act
    app.state
        .clients
        .revoke(
            &AdminContext::operator(None),
            &ClientId::parse(&client.id).unwrap(),
        )
        .await
        .unwrap();

    // Assert
    let response = get_with(&app, "/scim/v2/Users", &jwt).await;
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(challenge.contains("invalid_token"), "{challenge}");
    assert_scim_error(response, 401, None).await;
    assert_eq!(
        error_code(fetch_token(&app, &client, &[]).await),
        oauth2::basic::BasicErrorResponseType::InvalidClient
    );
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    // Arrange
    let app = spawn_configured(|s| s.oauth_token_ttl = Duration::from_secs(1)).await;
    app.tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;
    let jwt = access_token(&app, &client).await;
    let before = get_with(&app, "/scim/v2/Users", &jwt).await;

    // Act: past `exp` and the verifier's 5 s leeway.
    tokio::time::sleep(Duration::from_millis(7_100)).await;
    let after = get_with(&app, "/scim/v2/Users", &jwt).await;

    // Assert
    assert_eq!(before.status(), 200);
    assert_scim_error(after, 401, None).await;
}

/// The same header and claims, signed with a key scimgate never made.
pub fn resign(jwt: &str) -> String {
    let (header, claims) = jwt_parts(jwt);
    let pkcs8 =
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .unwrap();
    let mut forged = Header::new(Algorithm::ES256);
    forged.typ = header["typ"].as_str().map(str::to_owned);
    forged.kid = header["kid"].as_str().map(str::to_owned);
    jsonwebtoken::encode(&forged, &claims, &EncodingKey::from_ec_der(pkcs8.as_ref())).unwrap()
}

/// The token with other fixed claims but its original signature.
fn with_claims(jwt: &str, fixed: serde_json::Value) -> String {
    let (_, mut claims) = jwt_parts(jwt);
    claims["claims"] = fixed;
    let parts: Vec<&str> = jwt.split('.').collect();
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{}.{payload}.{}", parts[0], parts[2])
}

#[tokio::test]
async fn a_token_re_signed_with_another_key_or_altered_is_refused() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;
    let jwt = access_token(&app, &client).await;
    let forged = resign(&jwt);
    let tampered = with_claims(&jwt, json!({"org": "someone-else"}));

    // Act
    let responses = [
        get_with(&app, "/scim/v2/Users", &forged).await,
        get_with(&app, "/scim/v2/Users", &tampered).await,
        get_with(&app, "/scim/v2/Users", "a.b.c").await,
    ];

    // Assert
    assert_eq!(jwt_parts(&forged).0["kid"], jwt_parts(&jwt).0["kid"]);
    for response in responses {
        assert_scim_error(response, 401, None).await;
    }
}

#[tokio::test]
async fn a_token_is_bound_to_its_issuer_and_carries_the_fixed_claims() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({"org": "partner-a"})).await;
    let jwt = access_token(&app, &client).await;

    // Act
    let principal = app
        .state
        .authenticator
        .authenticate(&jwt, &app.origin)
        .await
        .unwrap();
    let elsewhere = app
        .state
        .authenticator
        .authenticate(&jwt, "https://elsewhere.example")
        .await;

    // Assert
    assert_eq!(principal.tenant_slug.as_str(), "acme");
    assert_eq!(principal.subject, client.id);
    assert_eq!(principal.claims["org"], "partner-a");
    assert!(elsewhere.is_err());
}
