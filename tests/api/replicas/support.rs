//! Two replicas of scimgate on one database and one Redis, and the checks both tests share.

use std::future::Future;
use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use sea_orm::ConnectionTrait;
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

use super::redis_server::RedisServer;
use crate::helpers::{TestApp, TestTenant, etag, patch_op, spawn_with, test_settings};

/// Long enough that only an invalidation, never an expiry, can explain a fresh read within
/// the one-second deadlines below.
const TTL_SECS: u64 = 60;

/// The deadline for a write or revocation on one replica to reach another.
pub const PROPAGATION: Duration = Duration::from_secs(1);

/// Replicas `a` and `b` sharing the test's database, `redis` and one key prefix (returned).
pub async fn replicas(redis: &RedisServer) -> (TestApp, TestApp, String) {
    let prefix = format!("test-{}", Uuid::now_v7().simple());
    let data_a = tempfile::tempdir().expect("temp dir");
    let data_b = tempfile::tempdir().expect("temp dir");
    let mut settings_a = test_settings(&data_a);
    let mut settings_b = test_settings(&data_b);
    settings_b.database_url = settings_a.database_url.clone();
    settings_b.database_schema = settings_a.database_schema.clone();
    for settings in [&mut settings_a, &mut settings_b] {
        settings.redis_url = Some(SecretString::from(redis.url()));
        settings.redis_prefix = prefix.clone();
        settings.cache_l1_ttl = Duration::from_secs(TTL_SECS);
        settings.token_cache_ttl = Duration::from_secs(TTL_SECS);
        settings.resource_cache_ttl = Duration::from_secs(TTL_SECS);
    }
    let a = spawn_with(settings_a, data_a).await;
    let b = spawn_with(settings_b, data_b).await;
    wait_for_subscribers(redis, &prefix).await;
    (a, b, prefix)
}

/// Waits until both replicas listen for invalidations again (after a start or an outage).
pub async fn wait_for_subscribers(redis: &RedisServer, prefix: &str) {
    let channel = format!("{prefix}:invalidate");
    let deadline = Instant::now() + Duration::from_secs(10);
    while redis.subscribers(&channel).await < 2 {
        assert!(
            Instant::now() < deadline,
            "the replicas did not subscribe to {channel}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `tenant` (created on any replica) as seen through `app`.
pub fn on(app: &TestApp, tenant: &TestTenant) -> TestTenant {
    TestTenant {
        base: format!("{}/t/{}/scim/v2", app.origin, tenant.slug),
        slug: tenant.slug.clone(),
        token: tenant.token.clone(),
    }
}

/// Polls `check` until it holds, failing after `within`.
pub async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "not within {within:?}: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn get(app: &TestApp, tenant: &TestTenant, path: &str) -> Response {
    app.get(tenant, path).await
}

pub async fn patch(app: &TestApp, tenant: &TestTenant, path: &str, attribute: &str, value: &str) {
    let body = patch_op(json!([{"op": "replace", "path": attribute, "value": value}]));
    let response = app
        .client
        .patch(format!("{}{path}", tenant.base))
        .bearer_auth(&tenant.token)
        .header("Content-Type", "application/scim+json")
        .body(body.to_string())
        .send()
        .await
        .expect("request sent");
    assert!(
        response.status().is_success(),
        "PATCH {path}: {}",
        response.status()
    );
}

/// `b` answers `GET /Users/{id}` from its cache (a change made behind scimgate's back in the
/// database does not show), and a PATCH of the user's group on `a` — which changes the
/// user's computed `groups` — reaches `b` within `within`.
pub async fn assert_b_caches_reads_and_hears_writes_on_a(
    a: &TestApp,
    b: &TestApp,
    tenant: &TestTenant,
    user_name: &str,
    within: Duration,
) {
    let user = a.create_user(tenant, user_name).await;
    let id = user["id"].as_str().expect("user id").to_owned();
    let group = a
        .create_group(tenant, &format!("{user_name}-team"), &[&id])
        .await;
    let group_id = group["id"].as_str().expect("group id").to_owned();
    let on_b = on(b, tenant);
    let path = format!("/Users/{id}");

    let first = get(b, &on_b, &path).await;
    assert_eq!(first.status(), 200);
    let first_etag = etag(&first);
    let body: Value = first.json().await.expect("json");
    assert_eq!(body["groups"][0]["display"], format!("{user_name}-team"));
    a.db.execute_unprepared("UPDATE resources SET version = version + 1000")
        .await
        .expect("versions bumped behind scimgate's back");
    let second = get(b, &on_b, &path).await;
    assert_eq!(second.status(), 200);
    assert_eq!(etag(&second), first_etag, "b answers from its cache");

    let renamed = format!("{user_name}-renamed");
    patch(
        a,
        tenant,
        &format!("/Groups/{group_id}"),
        "displayName",
        &renamed,
    )
    .await;
    eventually(within, "b shows the renamed group", || async {
        let response = get(b, &on_b, &path).await;
        let fresh_etag = etag(&response);
        let body: Value = response.json().await.expect("json");
        body["groups"][0]["display"] == renamed.as_str() && fresh_etag != first_etag
    })
    .await;
}

/// A token `b` has verified (and cached) and `a` then revokes is refused by `b` within
/// [`PROPAGATION`].
pub async fn assert_revocation_on_a_reaches_b(a: &TestApp, b: &TestApp, slug: &str) {
    let issued = a
        .issue_token(
            slug,
            &json!({"name": "replicated", "scopes": ["scim:read"]}),
        )
        .await;
    let tenant = TestTenant {
        base: format!("{}/t/{slug}/scim/v2", b.origin),
        slug: slug.to_owned(),
        token: issued["token"].as_str().expect("token").to_owned(),
    };
    assert_eq!(get(b, &tenant, "/Users").await.status(), 200);

    let id = issued["id"].as_str().expect("token id");
    let revoked = a
        .operator(Method::DELETE, &format!("/tokens/{id}"))
        .send()
        .await
        .expect("request sent");
    assert_eq!(revoked.status(), 200);
    eventually(PROPAGATION, "b refuses the revoked token", || async {
        get(b, &tenant, "/Users").await.status() == 401
    })
    .await;
}
