//! The delivery loop every `serve` replica runs: fan new events out to endpoints, lease due
//! deliveries and post them concurrently, and record what became of them in batches (one
//! transaction per batch, not per delivery). A global limit bounds what is in flight, and an
//! endpoint with `PER_ENDPOINT` deliveries in flight gets no more until one ends, so a hanging
//! receiver slows only itself. Work lives in the database (leases, retry times), so a restart
//! or a second replica simply picks up where the queue stands.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use scimgate_domain::service::webhooks::dispatcher::Dispatcher;
use scimgate_domain::webhook::delivery::FinishedAttempt;
use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::task::JoinSet;
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

/// Attempts the recorder writes in one transaction at most.
const RECORD_BATCH: usize = 256;
/// Attempts waiting to be recorded at most, before finished attempts hold their slots.
const RECORD_QUEUE: usize = 1024;

async fn run(dispatcher: Arc<Dispatcher>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let in_flight: Arc<Mutex<HashMap<Uuid, usize>>> = Arc::default();
    let finished = Arc::new(Notify::new());
    let (sent, to_record) = mpsc::channel(RECORD_QUEUE);
    // Owned by this loop: aborting it (a test's restart) stops them too.
    let mut helpers = JoinSet::new();
    helpers.spawn(record(dispatcher.clone(), to_record));
    helpers.spawn(fan_out(dispatcher.clone(), finished.clone()));
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = finished.notified() => {}
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
            *lock(&in_flight).entry(due.webhook.id).or_default() += 1;
            let (dispatcher, sent) = (dispatcher.clone(), sent.clone());
            let (in_flight, finished) = (in_flight.clone(), finished.clone());
            tokio::spawn(async move {
                let endpoint = due.webhook.id;
                let attempt = dispatcher.attempt(due, jitter()).await;
                // The slot is free once the attempt is queued for recording: its lease keeps
                // the row from being leased again until it is recorded, and a full queue (a
                // recorder behind) holds the slot, so the loop leases no more meanwhile. If
                // recording never happens, the lease runs out and the delivery is retried.
                let _ = sent.send(attempt).await;
                let mut counts = lock(&in_flight);
                if let Some(n) = counts.get_mut(&endpoint) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        counts.remove(&endpoint);
                    }
                }
                drop(counts);
                drop(slot);
                finished.notify_one();
            });
        }
    }
}

/// Queues new events for the endpoints every tick, in its own task: a fan-out (which numbers
/// pending events first) can take a while on a busy database, and leasing and recording go on
/// meanwhile. Wakes the loop when it queued something.
async fn fan_out(dispatcher: Arc<Dispatcher>, queued: Arc<Notify>) {
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match dispatcher.fan_out().await {
            Ok(0) => {}
            Ok(_) => queued.notify_one(),
            Err(err) => tracing::warn!(error = %err, "cannot queue webhook deliveries"),
        }
    }
}

/// Records attempts as they end, as many per transaction as have ended meanwhile.
async fn record(dispatcher: Arc<Dispatcher>, mut to_record: mpsc::Receiver<FinishedAttempt>) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while to_record.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        if let Err(err) = dispatcher.record(&batch).await {
            // Their leases run out and they are tried again.
            tracing::warn!(error = %err, attempts = batch.len(), "cannot record webhook deliveries");
        }
        batch.clear();
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
