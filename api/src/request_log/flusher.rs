//! Writes the request log buffer out once a second: one batch per tick, so the database sees
//! one multi-row INSERT a second per replica however many SCIM requests arrive.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::MissedTickBehavior;

use crate::state::AppState;

const TICK: Duration = Duration::from_secs(1);

/// Starts the loop on the current runtime; it ends with the process.
pub fn spawn_flusher(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            flush(&state).await;
        }
    })
}

/// One flush; lost records are logged and counted, never retried (the log is a view).
pub async fn flush(state: &AppState) {
    if let Err(failed) = state.request_log.flush().await {
        tracing::warn!(error = %failed, "cannot write the request log");
        state
            .metrics
            .request_log_dropped(failed.lost as u64, "write_failed");
    }
}
