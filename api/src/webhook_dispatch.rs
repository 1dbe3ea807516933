//! The delivery loop every `serve` replica runs: fan new events out to endpoints, lease due
//! deliveries and post them concurrently. A global limit bounds what is in flight, and an
//! endpoint with `PER_ENDPOINT` deliveries in flight gets no more until one ends, so a hanging
//! receiver slows only itself. Work lives in the database (leases, retry times), so a restart
//! or a second replica simply picks up where the queue stands.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use scimgate_domain::service::webhooks::dispatcher::Dispatcher;
use tokio::sync::{Notify, Semaphore};
use tokio::time::MissedTickBehavior;
use uuid::Uuid;

/// Deliveries in flight on this replica at most.
const IN_FLIGHT: usize = 128;
/// Deliveries in flight to one endpoint at most (the claim leases as many per endpoint).
const PER_ENDPOINT: usize = 16;
/// How often the loop looks for new events and due retries when nothing else wakes it; a
/// delivery that ends wakes it at once, so a backlog drains at the receivers' pace.
const TICK: Duration = Duration::from_millis(100);
/// How long a leased delivery is this replica's: well past the 15 s delivery timeout.
const LEASE: Duration = Duration::from_secs(120);

/// Starts the loop on the current runtime; it ends with the process (or when aborted).
pub fn spawn_dispatcher(dispatcher: Arc<Dispatcher>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(dispatcher))
}

async fn run(dispatcher: Arc<Dispatcher>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let in_flight: Arc<Mutex<HashMap<Uuid, usize>>> = Arc::default();
    let finished = Arc::new(Notify::new());
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let ticked = tokio::select! {
            _ = ticks.tick() => true,
            () = finished.notified() => false,
        };
        if ticked && let Err(err) = dispatcher.fan_out().await {
            tracing::warn!(error = %err, "cannot queue webhook deliveries");
            continue;
        }
        let free = slots.available_permits();
        if free == 0 {
            continue;
        }
        let busy: Vec<Uuid> = lock(&in_flight)
            .iter()
            .filter(|(_, n)| **n >= PER_ENDPOINT)
            .map(|(id, _)| *id)
            .collect();
        let claimed = match dispatcher.claim(free as u64, LEASE, &busy).await {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::warn!(error = %err, "cannot lease webhook deliveries");
                continue;
            }
        };
        for due in claimed {
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                break;
            };
            let endpoint = due.webhook.id;
            *lock(&in_flight).entry(endpoint).or_default() += 1;
            let (dispatcher, in_flight) = (dispatcher.clone(), in_flight.clone());
            let finished = finished.clone();
            tokio::spawn(async move {
                let jitter = jitter();
                if let Err(err) = dispatcher.deliver(&due, jitter).await {
                    // The lease runs out and the delivery is tried again.
                    tracing::warn!(error = %err, webhook = %endpoint, "cannot record a webhook delivery");
                }
                let mut counts = lock(&in_flight);
                if let Some(n) = counts.get_mut(&endpoint) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        counts.remove(&endpoint);
                    }
                }
                drop(slot);
                finished.notify_one();
            });
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A number in 0.0..1.0 from the random low bits of a UUIDv7, to spread retry times.
fn jitter() -> f64 {
    let bits = Uuid::now_v7().as_u128() & 0xFFFF_FFFF;
    bits as f64 / 4_294_967_296.0
}
