//! Request budgets per credential and per tenant: 429 with `Retry-After`, other tenants and
//! credentials unaffected (Redis-shared on PostgreSQL + Redis runs, in-process otherwise).

use crate::helpers::{assert_scim_error, spawn_with, test_settings};
use scimgate_domain::service::admin::context::AdminContext;

#[tokio::test]
async fn a_credential_over_its_budget_gets_429_and_others_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&dir);
    settings.rate_limit_token_per_sec = 1;
    settings.rate_limit_token_burst = 3;
    let app = spawn_with(settings, dir).await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;

    for _ in 0..3 {
        assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    }
    let limited = app.get(&acme, "/Users").await;
    let other = app.get(&globex, "/Users").await;

    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert_scim_error(limited, 429, None).await;
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn credentials_of_one_tenant_share_the_tenant_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&dir);
    settings.rate_limit_tenant_per_sec = 1;
    settings.rate_limit_tenant_burst = 2;
    let app = spawn_with(settings, dir).await;
    let acme = app.tenant("acme").await;
    let slug = scimgate_domain::tenant::TenantSlug::parse("acme").unwrap();
    let second = app
        .state
        .tokens
        .issue(
            &AdminContext::operator(None),
            &slug,
            scimgate_domain::service::admin::tokens::TokenRequest {
                name: scimgate_domain::admin_name::AdminName::parse("second").unwrap(),
                scopes: vec![],
                ..Default::default()
            },
        )
        .await
        .unwrap();

    assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    let third = app
        .client
        .get(format!("{}/Users", acme.base))
        .bearer_auth(&second.token)
        .send()
        .await
        .unwrap();

    assert_scim_error(third, 429, None).await;
}
