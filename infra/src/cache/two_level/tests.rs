use std::time::Instant;

use opentelemetry::global;
use rand::Rng;
use rand::distr::Alphanumeric;

use super::*;

fn local() -> Local {
    Local {
        entries: MemoryCache::new(100),
        epoch: AtomicU64::new(0),
    }
}

#[tokio::test]
async fn a_value_read_before_an_invalidation_is_not_kept() {
    let local = local();
    let seen = local.epoch.load(Ordering::SeqCst);
    local.evict("k").await;

    local
        .fill(seen, "k", b"old".to_vec(), Duration::from_secs(60))
        .await;

    assert_eq!(local.entries.get("k").await.unwrap(), None);
}

#[tokio::test]
async fn a_value_read_without_invalidation_is_kept() {
    let local = local();
    let seen = local.epoch.load(Ordering::SeqCst);
    local.evict("other").await;
    let seen_after = local.epoch.load(Ordering::SeqCst);
    assert_ne!(seen, seen_after);

    local
        .fill(seen_after, "k", b"v".to_vec(), Duration::from_secs(60))
        .await;

    assert_eq!(local.entries.get("k").await.unwrap(), Some(b"v".to_vec()));
}

/// Two replicas' caches on the Redis of `TEST_REDIS_URL` under one fresh prefix; `None` (and a
/// note) without it. The end-to-end test in tests/api starts its own Redis and never skips.
async fn replicas(test: &str) -> Option<(TwoLevelCache, TwoLevelCache, Arc<RedisCache>)> {
    let Ok(url) = std::env::var("TEST_REDIS_URL") else {
        println!("skipped {test}: TEST_REDIS_URL is not set");
        return None;
    };
    let suffix: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(12)
        .map(char::from)
        .collect();
    let prefix = format!("scimgate-test-{suffix}");
    let meter = global::meter("test");
    let shared = || async { Arc::new(RedisCache::connect(&url, &prefix).await.unwrap()) };
    let a = TwoLevelCache::new(shared().await, 100, Duration::from_secs(60), &meter);
    let b = TwoLevelCache::new(shared().await, 100, Duration::from_secs(60), &meter);
    Some((a, b, shared().await))
}

#[tokio::test]
async fn a_removal_on_one_replica_reaches_the_others_in_process_level() {
    let Some((a, b, redis)) =
        replicas("a_removal_on_one_replica_reaches_the_others_in_process_level").await
    else {
        return;
    };
    // Let both subscribers subscribe: their first act is dropping the in-process level.
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.put("k", b"v1".to_vec(), Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(b.get("k").await.unwrap(), Some(b"v1".to_vec()));

    // Changed behind the caches' back: `b` answers from its own level.
    redis
        .put("k", b"v2".to_vec(), Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(b.get("k").await.unwrap(), Some(b"v1".to_vec()));

    a.remove("k").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(1);
    while b.get("k").await.unwrap().is_some() {
        assert!(Instant::now() < deadline, "b still holds the removed key");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn in_process_entries_live_at_most_the_l1_ttl() {
    let Some((_, _, redis)) = replicas("in_process_entries_live_at_most_the_l1_ttl").await else {
        return;
    };
    let short = TwoLevelCache::new(
        redis.clone(),
        100,
        Duration::from_millis(100),
        &global::meter("test"),
    );
    // Let the subscriber subscribe: it then drops the in-process level.
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis
        .put("k", b"v".to_vec(), Duration::from_secs(60))
        .await
        .unwrap();

    // Read from Redis into the in-process level for the L1 ttl, not the entry's 60 s.
    assert_eq!(short.get("k").await.unwrap(), Some(b"v".to_vec()));
    assert_eq!(
        short.local.entries.get("k").await.unwrap(),
        Some(b"v".to_vec())
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(short.local.entries.get("k").await.unwrap(), None);
    redis.remove("k").await.unwrap();
}

#[tokio::test]
async fn removals_redis_missed_are_replayed() {
    let Some((_, _, redis)) = replicas("removals_redis_missed_are_replayed").await else {
        return;
    };
    let removals = Removals::new(redis.clone(), redis.channel("invalidate"));
    redis
        .put("k", b"v".to_vec(), Duration::from_secs(60))
        .await
        .unwrap();

    removals.keep("k");
    removals.keep("k");
    removals.replay().await;

    assert_eq!(redis.get("k").await.unwrap(), None);
    // Replayed once: nothing is left for the next heartbeat.
    redis
        .put("k", b"v".to_vec(), Duration::from_secs(60))
        .await
        .unwrap();
    removals.replay().await;
    assert_eq!(redis.get("k").await.unwrap(), Some(b"v".to_vec()));
    redis.remove("k").await.unwrap();
}
