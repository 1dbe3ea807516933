//! Numbers committed change events in the background, so webhooks and long polls see them
//! within a tick even when no reader asks (readers number what is pending themselves). Only
//! PostgreSQL leaves events to number; on SQLite each tick is a no-op without a query.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::MissedTickBehavior;

use crate::state::AppState;

const TICK: Duration = Duration::from_millis(50);

/// Starts the loop on the current runtime; it ends with the process.
pub fn spawn_sequencer(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(err) = state.events.sequence_pending().await {
                tracing::warn!(error = %err, "cannot number change events");
            }
        }
    })
}
