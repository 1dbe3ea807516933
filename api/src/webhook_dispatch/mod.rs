//! The delivery loop every `serve` replica runs: fan new events out to endpoints, lease due
//! deliveries ahead of need, post them concurrently, and record what became of them in batches
//! (one transaction per batch, not per delivery). A global limit bounds what is in flight, and
//! an endpoint with `PER_ENDPOINT` deliveries in flight gets no more until one ends, so a
//! hanging receiver slows only itself. Work lives in the database (leases, retry times), so a
//! restart or a second replica simply picks up where the queue stands.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use scimgate_domain::service::webhooks::dispatcher::Dispatcher;
use scimgate_domain::webhook::delivery::{DueDelivery, FinishedAttempt};
use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;
use uuid::Uuid;

mod pipeline;

use pipeline::Pipeline;

/// Deliveries in flight on this replica at most.
const IN_FLIGHT: usize = 128;
/// Deliveries this replica holds at most, leased and waiting or in flight: enough that the
/// slots never wait for a lease's round trips (a lease takes up to 64 per endpoint), few enough
/// that a replica that dies leaves little to wait out its lease.
const HELD: usize = 4 * IN_FLIGHT;
/// How often the loop looks for new events and due retries when nothing else wakes it; a
/// delivery that ends wakes it at once, so a backlog drains at the receivers' pace.
const TICK: Duration = Duration::from_millis(100);
/// How long a leased delivery is this replica's: well past the 15 s delivery timeout.
const LEASE: Duration = Duration::from_secs(120);
/// A leased delivery not started within this is left for its lease to run out (and to be
/// leased again), so it is never sent on a lease about to pass to another replica.
const STALE: Duration = Duration::from_secs(60);

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
    let pipeline: Arc<Mutex<Pipeline<DueDelivery>>> = Arc::default();
    // Rung when a delivery ends, deliveries were leased or new ones were queued.
    let wake = Arc::new(Notify::new());
    let lease_more = Arc::new(Notify::new());
    let (sent, to_record) = mpsc::channel(RECORD_QUEUE);
    // Owned by this loop: aborting it (a test's restart) stops them too.
    let mut helpers = JoinSet::new();
    helpers.spawn(record(dispatcher.clone(), to_record));
    helpers.spawn(fan_out(dispatcher.clone(), wake.clone()));
    helpers.spawn(lease(
        dispatcher.clone(),
        pipeline.clone(),
        lease_more.clone(),
        wake.clone(),
    ));
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = wake.notified() => {}
        }
        let started = lock(&pipeline).start(slots.available_permits(), Instant::now(), STALE);
        for due in started {
            let endpoint = due.webhook.id;
            // Only this loop takes slots, and it started no more than were free.
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                lock(&pipeline).finished(endpoint);
                continue;
            };
            let (dispatcher, sent) = (dispatcher.clone(), sent.clone());
            let (pipeline, wake) = (pipeline.clone(), wake.clone());
            tokio::spawn(async move {
                let attempt = dispatcher.attempt(due, jitter()).await;
                // The slot is free once the attempt is queued for recording: its lease keeps
                // the row from being leased again until it is recorded, and a full queue (a
                // recorder behind) holds the slot, so the loop starts no more meanwhile. If
                // recording never happens, the lease runs out and the delivery is retried.
                let _ = sent.send(attempt).await;
                lock(&pipeline).finished(endpoint);
                drop(slot);
                wake.notify_one();
            });
        }
        if lock(&pipeline).held() < HELD {
            lease_more.notify_one();
        }
    }
}

/// Leases due deliveries whenever the loop asks, one lease at a time, beside the sends: a
/// lease's round trips then overlap the deliveries in flight instead of following them.
async fn lease(
    dispatcher: Arc<Dispatcher>,
    pipeline: Arc<Mutex<Pipeline<DueDelivery>>>,
    asked: Arc<Notify>,
    leased: Arc<Notify>,
) {
    loop {
        asked.notified().await;
        let (held, lined_up) = {
            let pipeline = lock(&pipeline);
            (pipeline.held(), pipeline.lined_up())
        };
        let Some(room) = HELD.checked_sub(held).filter(|room| *room > 0) else {
            continue;
        };
        match dispatcher.claim(room as u64, LEASE, &lined_up).await {
            Ok(claimed) if claimed.is_empty() => {}
            Ok(claimed) => {
                let leased_now = claimed.into_iter().map(|due| (due.webhook.id, due));
                lock(&pipeline).lease(leased_now, Instant::now());
                leased.notify_one();
            }
            Err(err) => tracing::warn!(error = %err, "cannot lease webhook deliveries"),
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
