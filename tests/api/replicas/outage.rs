//! Redis going away while scimgate serves: requests go on from the database, readiness says
//! so, the outage is counted, and the cache works again once Redis is back.

use std::time::{Duration, Instant};

use super::redis_server::RedisServer;
use super::support::{
    PROPAGATION, assert_b_caches_reads_and_hears_writes_on_a, assert_revocation_on_a_reaches_b,
    eventually, get, on, replicas, wait_for_subscribers,
};
use crate::helpers::{TestApp, assert_scim_error};

async fn readyz(app: &TestApp) -> reqwest::Response {
    app.get_public("/readyz").await
}

#[tokio::test]
async fn requests_do_not_wait_for_a_redis_that_does_not_answer() {
    let redis = RedisServer::start().await;
    let (a, b, _) = replicas(&redis).await;
    let tenant = a.tenant("acme").await;
    let user = a.create_user(&tenant, "ada").await;
    let path = format!("/Users/{}", user["id"].as_str().expect("id"));

    redis.freeze(Duration::from_secs(3)).await;
    let started = Instant::now();
    // A token and a resource neither replica has cached: every cache call goes to Redis.
    let other = a.tenant("globex").await;
    let listed = get(&b, &on(&b, &other), "/Users").await.status().as_u16();
    let read = get(&b, &on(&b, &tenant), &path).await.status().as_u16();
    let elapsed = started.elapsed();
    redis.wait_until_answering().await;

    assert_eq!((listed, read), (200, 200));
    // Each Redis call gives up after 250 ms, and the next ones skip Redis for a second.
    assert!(
        elapsed < Duration::from_millis(1500),
        "requests waited for Redis: {elapsed:?}"
    );
}

#[tokio::test]
async fn requests_succeed_through_a_redis_outage_and_the_cache_recovers_by_itself() {
    let mut redis = RedisServer::start().await;
    let (a, b, prefix) = replicas(&redis).await;
    let tenant = a.tenant("acme").await;
    assert_b_caches_reads_and_hears_writes_on_a(&a, &b, &tenant, "before", PROPAGATION).await;

    redis.kill();
    let started = Instant::now();
    let user = a.create_user(&tenant, "during").await;
    let id = user["id"].as_str().expect("id");
    assert_eq!(
        get(&b, &on(&b, &tenant), &format!("/Users/{id}"))
            .await
            .status(),
        200
    );
    // A token no replica has seen is verified against the database.
    let other = a.tenant("globex").await;
    assert_eq!(get(&b, &on(&b, &other), "/Users").await.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "requests wait out Redis: {:?}",
        started.elapsed()
    );
    for app in [&a, &b] {
        let body = assert_scim_error(readyz(app).await, 503, None).await;
        assert!(body["detail"].as_str().is_some(), "{body}");
    }
    let metrics = b
        .client
        .get(format!("{}/metrics", b.origin))
        .send()
        .await
        .expect("request sent")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("scimgate_cache_degraded_total"),
        "the outage is counted"
    );

    redis.restart().await;
    for app in [&a, &b] {
        eventually(Duration::from_secs(10), "ready again", || async {
            readyz(app).await.status() == 200
        })
        .await;
    }
    wait_for_subscribers(&redis, &prefix).await;
    // The first write after the outage may find a replica's Redis connection still
    // reconnecting: its invalidation is then replayed, within a heartbeat.
    let recovery = Duration::from_secs(5);
    assert_b_caches_reads_and_hears_writes_on_a(&a, &b, &tenant, "recovering", recovery).await;
    // And then everything is as before the outage.
    assert_b_caches_reads_and_hears_writes_on_a(&a, &b, &tenant, "after", PROPAGATION).await;
    assert_revocation_on_a_reaches_b(&a, &b, "acme").await;
}
