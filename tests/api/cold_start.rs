//! What argon2 costs a fresh or attacked server: concurrent first requests with one token (or
//! one OAuth client) share one verification, a wrong secret sent again costs none, and a flood
//! of wrong secrets does not turn the right token away. Runs are read from `/metrics`
//! (`scimgate_argon2_runs_total`), which counts every argon2 run of the app.

use std::time::Instant;

use futures_util::future::join_all;

use crate::helpers::{TestApp, TestTenant, spawn_configured, spawn_tenant};
use crate::oauth::support::{create_client, fetch_token};

/// Argon2 verifications the app has run so far.
async fn verifications(app: &TestApp) -> u64 {
    let text = app.get_public("/metrics").await.text().await.unwrap();
    text.lines()
        .filter(|line| line.starts_with("scimgate_argon2_runs_total{"))
        .filter(|line| line.contains(r#"operation="verify""#))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// `GET /Users` with `token`; the status.
async fn list_users(app: &TestApp, tenant: &TestTenant, token: &str) -> u16 {
    app.client
        .get(format!("{}/Users", tenant.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The token with the end of its secret replaced: same id, a wrong secret, one per `variant`.
fn with_wrong_secret(token: &str, variant: usize) -> String {
    let (keep, real) = token.split_at(token.len() - 3);
    let mut tail = format!("Q{variant:02}");
    if tail == real {
        tail = format!("R{variant:02}");
    }
    format!("{keep}{tail}")
}

#[tokio::test]
async fn concurrent_first_requests_with_one_token_run_one_argon2_verification() {
    // Arrange: the token was never presented to this app.
    let (app, tenant) = spawn_tenant("acme").await;
    assert_eq!(verifications(&app).await, 0);

    // Act
    let statuses = join_all((0..32).map(|_| list_users(&app, &tenant, &tenant.token))).await;

    // Assert
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(verifications(&app).await, 1);
}

#[tokio::test]
async fn a_wrong_secret_sent_again_costs_no_argon2_run_and_the_right_token_keeps_working() {
    // Arrange: no token cache, so every request reaches the secret check.
    let app = spawn_configured(|s| s.token_cache_ttl = std::time::Duration::from_secs(0)).await;
    let tenant = app.tenant("acme").await;
    let wrong = with_wrong_secret(&tenant.token, 0);

    // Act
    let first = join_all((0..16).map(|_| list_users(&app, &tenant, &wrong))).await;
    let again = join_all((0..16).map(|_| list_users(&app, &tenant, &wrong))).await;
    let right = join_all((0..4).map(|_| list_users(&app, &tenant, &tenant.token))).await;
    let right_again = list_users(&app, &tenant, &tenant.token).await;

    // Assert: one run for the wrong secret, one for the right one.
    assert!(first.iter().chain(&again).all(|s| *s == 401));
    assert!(right.iter().all(|s| *s == 200), "{right:?}");
    assert_eq!(right_again, 200);
    assert_eq!(verifications(&app).await, 2);
}

#[tokio::test]
async fn a_flood_of_different_wrong_secrets_is_paced_and_the_right_token_is_not_held_up() {
    // Arrange: the right token verified once; no token cache.
    let app = spawn_configured(|s| s.token_cache_ttl = std::time::Duration::from_secs(0)).await;
    let tenant = app.tenant("acme").await;
    assert_eq!(list_users(&app, &tenant, &tenant.token).await, 200);

    // Act: twelve different wrong secrets at once (two past the burst of ten), and the right
    // token while they are paced.
    let (app, tenant) = (&app, &tenant);
    let started = Instant::now();
    let flood = async {
        let statuses = join_all((1..=12).map(|n| async move {
            list_users(app, tenant, &with_wrong_secret(&tenant.token, n)).await
        }))
        .await;
        (statuses, started.elapsed())
    };
    let right = async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        (
            list_users(app, tenant, &tenant.token).await,
            started.elapsed(),
        )
    };
    let ((flood, flood_took), (right, right_took)) = tokio::join!(flood, right);

    // Assert: every wrong secret is refused, after waiting for the budget to refill (one
    // failure per second past the burst); the right token answered meanwhile.
    assert!(flood.iter().all(|s| *s == 401), "{flood:?}");
    assert_eq!(right, 200);
    assert!(flood_took.as_secs_f64() >= 1.0, "not paced: {flood_took:?}");
    assert!(
        right_took < flood_took,
        "the right token waited for the flood: {right_took:?} vs {flood_took:?}"
    );
    assert_eq!(verifications(app).await, 1 + 12);
}

#[tokio::test]
async fn concurrent_token_requests_of_one_client_run_one_argon2_verification() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], serde_json::json!({})).await;
    let before = verifications(&app).await;

    // Act
    let grants = join_all((0..16).map(|_| fetch_token(&app, &client, &[]))).await;

    // Assert
    assert!(grants.iter().all(Result::is_ok));
    assert_eq!(verifications(&app).await - before, 1);
}
