//! `/Me` for end users of a tenant's own authorization server: the issuer's `sub` is copied
//! into the principal and the entry's policy maps it to the User provisioned with that
//! `externalId`.

use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::trusted_issuer::TrustedIssuerRequest;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use serde_json::{Value, json};

use super::issuer::{FakeIssuer, TestKey};
use super::{AUDIENCE, get};
use crate::helpers::{USER_SCHEMA, spawn_tenant};

#[tokio::test]
async fn an_end_users_token_reaches_its_own_user_through_me() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let mut provisioned = Vec::new();
    for (user_name, subject) in [("alice", "00u-alice"), ("bob", "00u-bob")] {
        let body = json!({"schemas": [USER_SCHEMA], "userName": user_name, "externalId": subject});
        let response = app.post(&acme, "/Users", &body).await;
        assert_eq!(response.status(), 201);
        provisioned.push(response.json::<Value>().await.unwrap());
    }
    let key = TestKey::es256("ec-1");
    let issuer = FakeIssuer::start(vec![key.clone()]).await;
    let policy = json!({
        "userFilter": "externalId eq \"{{claims.sub}}\"",
        "meFilter": "externalId eq \"{{claims.sub}}\"",
        "readable": ["userName", "displayName"],
    });
    app.state
        .trusted_issuers
        .create(
            &AdminContext::operator(None),
            &TenantSlug::parse("acme").unwrap(),
            TrustedIssuerRequest {
                issuer: issuer.url.clone(),
                audience: AUDIENCE.into(),
                jwks_url: Some(issuer.jwks_url()),
                allowed_scopes: vec![Scope::UsersRead],
                copy_claims: vec!["sub".into()],
                policy: Some(Policy::parse(policy, app.state.resources.registry()).unwrap()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut claims = issuer.claims(AUDIENCE, "scim:users:read");
    claims["sub"] = json!("00u-bob");
    let token = key.sign(&claims);

    // Act
    let me = get(&app, "/t/acme/scim/v2/Me", &token).await;
    let alice_path = format!(
        "/t/acme/scim/v2/Users/{}",
        provisioned[0]["id"].as_str().unwrap()
    );
    let alice = get(&app, &alice_path, &token).await;

    // Assert
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["id"], provisioned[1]["id"]);
    assert_eq!(me["userName"], "bob");
    assert!(me.get("externalId").is_none(), "{me}");
    assert_eq!(alice.status(), 404);
}
