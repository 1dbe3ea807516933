//! Replicas sharing Redis: what one changes, the others see within a second.

use super::redis_server::RedisServer;
use super::support::{
    PROPAGATION, assert_b_caches_reads_and_hears_writes_on_a, assert_revocation_on_a_reaches_b,
    replicas,
};

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
