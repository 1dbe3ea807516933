//! The subscriber of a deployment's invalidation channel: evicts each announced key from this
//! replica's in-process level. It reconnects by itself whenever Redis goes away, and drops
//! the whole in-process level after each (re)subscription, since announcements made while it
//! was not listening are lost. Once subscribed, and then every heartbeat, it replays the
//! removals this replica could not send to Redis.

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::StreamExt;
use redis::Client;
use redis::aio::PubSub;

use super::pending::Removals;
use super::redis_cache::CALL_TIMEOUT;
use super::two_level::Local;

/// How long one connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How often a quiet subscription is checked: a connection can die without closing (a host
/// gone, a partition), and messages would be lost unnoticed.
const HEARTBEAT: Duration = Duration::from_secs(1);
/// Reconnection delays double from the first to the last.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(1);

/// Why listening stopped.
#[derive(PartialEq, Eq)]
enum Ended {
    Disconnected,
    /// The cache was dropped: nothing left to keep fresh.
    CacheGone,
}

/// Listens on `channel` for as long as `local` lives.
pub(crate) fn spawn_subscriber(
    client: Client,
    channel: String,
    local: Weak<Local>,
    removals: Arc<Removals>,
) {
    tokio::spawn(async move {
        let mut delay = FIRST_RETRY;
        let mut warned = false;
        while local.strong_count() > 0 {
            match subscribe(&client, &channel).await {
                Ok(pubsub) => {
                    let Some(cache) = local.upgrade() else { return };
                    cache.clear();
                    drop(cache);
                    if warned {
                        tracing::info!("cache invalidations heard again");
                    }
                    delay = FIRST_RETRY;
                    warned = false;
                    removals.replay().await;
                    if listen(pubsub, &local, &removals).await == Ended::CacheGone {
                        return;
                    }
                }
                Err(err) => {
                    if !warned {
                        tracing::warn!(error = %err, "cannot subscribe to cache invalidations; retrying");
                        warned = true;
                    }
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(LAST_RETRY);
                }
            }
        }
    });
}

async fn subscribe(client: &Client, channel: &str) -> Result<PubSub, String> {
    let mut pubsub = tokio::time::timeout(CONNECT_TIMEOUT, client.get_async_pubsub())
        .await
        .map_err(|_| format!("no connection within {CONNECT_TIMEOUT:?}"))?
        .map_err(|err| err.to_string())?;
    tokio::time::timeout(CALL_TIMEOUT, pubsub.subscribe(channel))
        .await
        .map_err(|_| format!("no subscription within {CALL_TIMEOUT:?}"))?
        .map_err(|err| err.to_string())?;
    Ok(pubsub)
}

async fn listen(pubsub: PubSub, local: &Weak<Local>, removals: &Removals) -> Ended {
    let (mut sink, mut messages) = pubsub.split();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    loop {
        tokio::select! {
            message = messages.next() => {
                let Some(message) = message else {
                    tracing::warn!("cache invalidation channel closed; reconnecting");
                    return Ended::Disconnected;
                };
                let Some(cache) = local.upgrade() else { return Ended::CacheGone };
                match message.get_payload::<String>() {
                    Ok(key) => cache.evict(&key).await,
                    // Not a key this code sent: the safe reading is "anything may be stale".
                    Err(_) => cache.clear(),
                }
            }
            _ = heartbeat.tick() => {
                if local.strong_count() == 0 {
                    return Ended::CacheGone;
                }
                let ping = tokio::time::timeout(CALL_TIMEOUT, sink.ping::<redis::Value>()).await;
                if !matches!(ping, Ok(Ok(_))) {
                    tracing::warn!("cache invalidation channel unresponsive; reconnecting");
                    return Ended::Disconnected;
                }
                // Redis may have failed a removal while this connection stayed up.
                removals.replay().await;
            }
        }
    }
}
