//! Replicas sharing Redis: what one changes, the others see within a second.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use super::redis_server::RedisServer;
use super::support::{
    PROPAGATION, assert_b_caches_reads_and_hears_writes_on_a, assert_revocation_on_a_reaches_b,
    eventually, get, on, patch, replicas,
};
use crate::helpers::etag;

#[tokio::test]
async fn a_write_on_one_replica_reaches_cached_reads_on_another_within_a_second() {
    let redis = RedisServer::start().await;
    let (a, b, _) = replicas(&redis).await;
    let tenant = a.tenant("acme").await;

    assert_b_caches_reads_and_hears_writes_on_a(&a, &b, &tenant, "ada", PROPAGATION).await;
    // And the other way round.
    assert_b_caches_reads_and_hears_writes_on_a(&b, &a, &tenant, "grace", PROPAGATION).await;
}

#[tokio::test]
async fn a_revocation_on_one_replica_is_refused_by_another_within_a_second() {
    let redis = RedisServer::start().await;
    let (a, b, _) = replicas(&redis).await;
    a.tenant("acme").await;

    assert_revocation_on_a_reaches_b(&a, &b, "acme").await;
}

#[tokio::test]
async fn writes_on_one_replica_keep_unrelated_cached_reads_on_another_and_reach_related_ones() {
    // Arrange: b caches ada and carol; versions then move behind scimgate's back, so only a
    // read from the database answers another ETag.
    let redis = RedisServer::start().await;
    let (a, b, _) = replicas(&redis).await;
    let tenant = a.tenant("acme").await;
    let on_b = on(&b, &tenant);
    let ada = a.create_user(&tenant, "ada").await;
    let ada_id = ada["id"].as_str().expect("id").to_owned();
    let ada_path = format!("/Users/{ada_id}");
    let carol = a.create_user(&tenant, "carol").await;
    let carol_path = format!("/Users/{}", carol["id"].as_str().expect("id"));
    let team = a.create_group(&tenant, "team", &[]).await;
    let team_path = format!("/Groups/{}", team["id"].as_str().expect("id"));
    for path in [&ada_path, &carol_path] {
        get(&b, &on_b, path).await;
    }
    let ada_cached = etag(&get(&b, &on_b, &ada_path).await);
    a.db.execute_unprepared("UPDATE resources SET version = version + 1000")
        .await
        .expect("versions moved");

    // Act: writes to others on a; carol's rename comes last, and b hears invalidations in
    // order, so once b shows it, b has heard the others too.
    let bob = a.create_user(&tenant, "bob").await;
    let bob_path = format!("/Users/{}", bob["id"].as_str().expect("id"));
    patch(&a, &tenant, &bob_path, "displayName", "Bob B.").await;
    patch(&a, &tenant, &carol_path, "displayName", "Carol C.").await;
    eventually(PROPAGATION, "b shows carol's rename", || async {
        let carol: Value = get(&b, &on_b, &carol_path)
            .await
            .json()
            .await
            .expect("json");
        carol["displayName"] == "Carol C."
    })
    .await;
    let ada_after_others = etag(&get(&b, &on_b, &ada_path).await);
    let join = json!([{"op": "add", "path": "members", "value": [{"value": ada_id}]}]);
    let joined = a.patch(&tenant, &team_path, join).await;

    // Assert
    assert_eq!(
        ada_after_others, ada_cached,
        "b still answers ada from its cache"
    );
    assert!(joined.status().is_success(), "{}", joined.status());
    eventually(PROPAGATION, "b shows ada in the team", || async {
        let ada: Value = get(&b, &on_b, &ada_path).await.json().await.expect("json");
        ada["groups"][0]["display"] == "team"
    })
    .await;
}
