//! JWTs of a tenant's own authorization server, verified against its JWKS.

use std::time::Duration;

use scimgate_domain::scope::Scope;
use serde_json::{Value, json};

use super::issuer::{FakeIssuer, TestKey};
use super::{
    AUDIENCE, acme_trusting_jwks, assert_invalid_token, get, org_policy, trust_jwks, user_names,
    user_of,
};
use crate::helpers::{ENTERPRISE, USER_SCHEMA, spawn_configured, spawn_tenant};

fn with_org(mut claims: Value, org: &str) -> Value {
    claims["org"] = json!(org);
    claims
}

#[tokio::test]
async fn a_trusted_token_gets_the_intersection_of_scopes_and_the_issuers_policy() {
    // Arrange: the issuer's tokens may at most read and write users, only of their org.
    let (app, acme) = spawn_tenant("acme").await;
    user_of(&app, &acme, "a1@partner-a.example", "partner-a").await;
    user_of(&app, &acme, "b1@partner-b.example", "partner-b").await;
    let (rsa, ec) = (TestKey::rs256("rsa-1"), TestKey::es256("ec-1"));
    let issuer = FakeIssuer::start(vec![rsa.clone(), ec.clone()]).await;
    trust_jwks(
        &app,
        "acme",
        &issuer,
        &[Scope::UsersWrite],
        Some(org_policy()),
    )
    .await;
    let claims = with_org(
        issuer.claims(AUDIENCE, "openid scim:users:write scim:groups:write"),
        "partner-a",
    );

    for token in [rsa.sign(&claims), ec.sign(&claims)] {
        // Act
        let listed = get(&app, "/t/acme/scim/v2/Users", &token).await;
        let groups = get(&app, "/t/acme/scim/v2/Groups", &token).await;

        // Assert: users of partner-a only; groups not granted although the token asks.
        assert_eq!(listed.status(), 200);
        let listed: Value = listed.json().await.unwrap();
        assert_eq!(user_names(&listed), vec!["a1@partner-a.example"]);
        assert_eq!(groups.status(), 403);
    }

    // Writes go through the policy too, and the path-less base finds the one tenant.
    let token = ec.sign(&claims);
    let inside = json!({"schemas": [USER_SCHEMA, ENTERPRISE], "userName": "a2@partner-a.example",
                        ENTERPRISE: {"organization": "partner-a"}});
    let outside = json!({"schemas": [USER_SCHEMA, ENTERPRISE], "userName": "b2@partner-b.example",
                         ENTERPRISE: {"organization": "partner-b"}});
    for (body, status) in [(inside, 201), (outside, 403)] {
        let response = app
            .client
            .post(format!("{}/scim/v2/Users", app.origin))
            .bearer_auth(&token)
            .header("Content-Type", "application/scim+json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{body}");
    }
}

#[tokio::test]
async fn wrong_audience_issuer_expiry_signature_or_algorithm_is_refused() {
    // Arrange
    let key = TestKey::es256("ec-1");
    let (app, issuer) = acme_trusting_jwks(&key).await;
    let good = issuer.claims(AUDIENCE, "scim:read");
    let now = chrono::Utc::now().timestamp();
    let mut wrong_aud = good.clone();
    wrong_aud["aud"] = json!("api://someone-else");
    let mut expired = good.clone();
    expired["exp"] = json!(now - 120); // past the 30 s leeway
    let mut not_yet = good.clone();
    not_yet["nbf"] = json!(now + 600);
    let mut unknown_iss = good.clone();
    unknown_iss["iss"] = json!("https://idp.example.com");
    let impostor = TestKey::es256("ec-1"); // same kid, another key
    let hmac = {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some("ec-1".into());
        jsonwebtoken::encode(
            &header,
            &good,
            &jsonwebtoken::EncodingKey::from_secret(b"k"),
        )
        .unwrap()
    };
    assert_eq!(
        get(&app, "/t/acme/scim/v2/Users", &key.sign(&good))
            .await
            .status(),
        200
    );

    for (what, token) in [
        ("audience", key.sign(&wrong_aud)),
        ("expired", key.sign(&expired)),
        ("not yet valid", key.sign(&not_yet)),
        ("unknown issuer", key.sign(&unknown_iss)),
        ("bad signature", impostor.sign(&good)),
        ("HS256", hmac),
    ] {
        // Act
        let response = get(&app, "/t/acme/scim/v2/Users", &token).await;

        // Assert
        assert_eq!(response.status(), 401, "{what}");
        assert_invalid_token(response).await;
    }
}

#[tokio::test]
async fn the_jwks_is_fetched_once_for_many_requests() {
    // Arrange
    let key = TestKey::rs256("rsa-1");
    let (app, issuer) = acme_trusting_jwks(&key).await;

    // Act
    for _ in 0..20 {
        let token = key.sign(&issuer.claims(AUDIENCE, "scim:read"));
        assert_eq!(
            get(&app, "/t/acme/scim/v2/Users", &token).await.status(),
            200
        );
    }

    // Assert
    assert_eq!(issuer.jwks_hits(), 1);
}

#[tokio::test]
async fn a_rotated_key_costs_one_refetch_then_verifies() {
    // Arrange: refetches allowed once a second, so the test need not wait a minute.
    let app = spawn_configured(|s| s.jwks_min_refresh = Duration::from_secs(1)).await;
    app.tenant("acme").await;
    let (old, new) = (TestKey::es256("2026-01"), TestKey::rs256("2026-02"));
    let issuer = FakeIssuer::start(vec![old.clone()]).await;
    trust_jwks(&app, "acme", &issuer, &[], None).await;
    let claims = issuer.claims(AUDIENCE, "scim:read");
    assert_eq!(
        get(&app, "/t/acme/scim/v2/Users", &old.sign(&claims))
            .await
            .status(),
        200
    );

    // Act: the issuer rotates to a new key.
    issuer.publish(vec![new.clone()]);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let first = get(&app, "/t/acme/scim/v2/Users", &new.sign(&claims)).await;
    let second = get(&app, "/t/acme/scim/v2/Users", &new.sign(&claims)).await;

    // Assert
    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 200);
    assert_eq!(issuer.jwks_hits(), 2, "one initial fetch, one refetch");
}

#[tokio::test]
async fn a_flood_of_unknown_kids_costs_the_issuer_one_fetch() {
    // Arrange: a cold cache, and the default minimum interval between fetches (60 s).
    let key = TestKey::es256("ec-1");
    let (app, issuer) = acme_trusting_jwks(&key).await;
    let claims = issuer.claims(AUDIENCE, "scim:read");

    // Act: 50 requests at once, each naming a kid the issuer never published.
    let requests = (0..50).map(|i| {
        let token = key.sign_as(&format!("made-up-{i}"), &claims);
        let app = &app;
        async move { get(app, "/t/acme/scim/v2/Users", &token).await.status() }
    });
    let statuses = futures_util::future::join_all(requests).await;

    // Assert
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(issuer.jwks_hits(), 1);
    // The real key still works, from the set fetched during the flood.
    assert_eq!(
        get(&app, "/t/acme/scim/v2/Users", &key.sign(&claims))
            .await
            .status(),
        200
    );
    assert_eq!(issuer.jwks_hits(), 1);
}

#[tokio::test]
async fn a_token_trusted_for_one_tenant_is_refused_on_another() {
    // Arrange: acme trusts the issuer; globex has a tenant of its own.
    let key = TestKey::es256("ec-1");
    let (app, issuer) = acme_trusting_jwks(&key).await;
    app.tenant("globex").await;
    let token = key.sign(&issuer.claims(AUDIENCE, "scim:read"));

    // Act
    let on_acme = get(&app, "/t/acme/scim/v2/Users", &token).await;
    let on_globex = get(&app, "/t/globex/scim/v2/Users", &token).await;

    // Assert
    assert_eq!(on_acme.status(), 200);
    assert_invalid_token(on_globex).await;
}

#[tokio::test]
async fn an_issuer_trusted_by_two_tenants_needs_the_tenant_in_the_path() {
    // Arrange: both tenants trust the same issuer.
    let key = TestKey::es256("ec-1");
    let (app, issuer) = acme_trusting_jwks(&key).await;
    app.tenant("globex").await;
    trust_jwks(&app, "globex", &issuer, &[], None).await;
    let token = key.sign(&issuer.claims(AUDIENCE, "scim:read"));

    // Act
    let ambiguous = get(&app, "/scim/v2/Users", &token).await;
    let named = get(&app, "/t/globex/scim/v2/Users", &token).await;

    // Assert
    assert_invalid_token(ambiguous).await;
    assert_eq!(named.status(), 200);
}
