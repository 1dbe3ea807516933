//! Opaque tokens of a tenant's own authorization server, checked at its RFC 7662
//! introspection endpoint with the `oauth2` crate, and cached.

use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use serde_json::{Value, json};

use super::issuer::FakeIssuer;
use super::{
    AUDIENCE, acme_trusting_introspection, assert_invalid_token, get, org_policy,
    trust_introspection, user_names, user_of,
};
use crate::helpers::spawn_tenant;

fn answer(issuer: &FakeIssuer, scope: &str, org: &str) -> Value {
    json!({
        "scope": scope,
        "client_id": "partner-a-sync",
        "sub": "svc-partner-a",
        "iss": issuer.url,
        "aud": AUDIENCE,
        "exp": chrono::Utc::now().timestamp() + 600,
        "org": org,
    })
}

#[tokio::test]
async fn an_active_token_works_with_its_scopes_and_policy_and_is_introspected_once() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    user_of(&app, &acme, "a1@partner-a.example", "partner-a").await;
    user_of(&app, &acme, "b1@partner-b.example", "partner-b").await;
    let issuer = FakeIssuer::start(Vec::new()).await;
    trust_introspection(
        &app,
        "acme",
        &issuer,
        &[Scope::UsersRead],
        Some(org_policy()),
    )
    .await;
    issuer.activate(
        "opaque-token-1",
        answer(&issuer, "scim:users:read scim:write", "partner-a"),
    );

    // Act
    let mut lists = Vec::new();
    for _ in 0..3 {
        lists.push(get(&app, "/t/acme/scim/v2/Users", "opaque-token-1").await);
    }
    let groups = get(&app, "/t/acme/scim/v2/Groups", "opaque-token-1").await;

    // Assert
    for list in lists {
        assert_eq!(list.status(), 200);
        let list: Value = list.json().await.unwrap();
        assert_eq!(user_names(&list), vec!["a1@partner-a.example"]);
    }
    assert_eq!(
        groups.status(),
        403,
        "scim:write is not among the allowed scopes"
    );
    assert_eq!(
        issuer.introspection_hits(),
        1,
        "later requests use the cached answer"
    );
}

#[tokio::test]
async fn an_inactive_token_is_refused_and_the_answer_cached() {
    // Arrange
    let (app, issuer, _) = acme_trusting_introspection().await;

    // Act
    let first = get(&app, "/t/acme/scim/v2/Users", "revoked-or-made-up").await;
    let second = get(&app, "/t/acme/scim/v2/Users", "revoked-or-made-up").await;

    // Assert
    assert_invalid_token(first).await;
    assert_invalid_token(second).await;
    assert_eq!(issuer.introspection_hits(), 1);
}

#[tokio::test]
async fn an_answer_for_another_audience_or_issuer_is_refused() {
    // Arrange
    let (app, issuer, _) = acme_trusting_introspection().await;
    let mut other_aud = answer(&issuer, "scim:read", "partner-a");
    other_aud["aud"] = json!("api://another-service");
    let mut other_iss = answer(&issuer, "scim:read", "partner-a");
    other_iss["iss"] = json!("https://idp.example.com");
    issuer.activate("for-another-service", other_aud);
    issuer.activate("from-another-issuer", other_iss);

    for token in ["for-another-service", "from-another-issuer"] {
        // Act
        let response = get(&app, "/t/acme/scim/v2/Users", token).await;

        // Assert
        assert_invalid_token(response).await;
    }
}

#[tokio::test]
async fn opaque_tokens_are_never_sent_to_another_tenants_server() {
    // Arrange: acme introspects at the issuer; globex trusts no one.
    let (app, _acme) = spawn_tenant("acme").await;
    app.tenant("globex").await;
    let issuer = FakeIssuer::start(Vec::new()).await;
    trust_introspection(&app, "acme", &issuer, &[], None).await;
    issuer.activate("opaque-token-1", answer(&issuer, "scim:read", "partner-a"));

    // Act
    let on_globex = get(&app, "/t/globex/scim/v2/Users", "opaque-token-1").await;
    let without_tenant = get(&app, "/scim/v2/Users", "opaque-token-1").await;
    let on_acme = get(&app, "/t/acme/scim/v2/Users", "opaque-token-1").await;

    // Assert
    assert_invalid_token(on_globex).await;
    assert_invalid_token(without_tenant).await;
    assert_eq!(on_acme.status(), 200);
    assert_eq!(
        issuer.introspection_hits(),
        1,
        "only acme's request reached the issuer"
    );
}

#[tokio::test]
async fn deleting_the_issuer_refuses_its_cached_tokens_at_once() {
    // Arrange: a token whose active answer is cached.
    let (app, issuer, entry) = acme_trusting_introspection().await;
    issuer.activate("opaque-token-1", answer(&issuer, "scim:read", "partner-a"));
    assert_eq!(
        get(&app, "/t/acme/scim/v2/Users", "opaque-token-1")
            .await
            .status(),
        200
    );

    // Act
    app.state
        .trusted_issuers
        .delete(
            &AdminContext::operator(None),
            &TenantSlug::parse("acme").unwrap(),
            entry.id,
        )
        .await
        .unwrap();

    // Assert
    assert_invalid_token(get(&app, "/t/acme/scim/v2/Users", "opaque-token-1").await).await;
    assert_eq!(issuer.introspection_hits(), 1);
}
