//! The retention purge of change events, of old console sessions and setup links, and of
//! soft-deleted resources past their tenant's retention, run by every `serve` replica: at
//! start and hourly. Replicas purging at once is harmless (each deletes what the others
//! left; a soft-deleted resource is purged, with its event, by whichever comes first).

use std::sync::Arc;
use std::time::Duration;

use scimgate_domain::ports::{Clock, SystemClock};

use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(3600);

/// Starts the purge loop on the current runtime; it ends with the process.
pub fn spawn_purge(state: Arc<AppState>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            match state.events.purge_expired(SystemClock.now()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "purged change events past their retention"),
                // The next tick retries; the events API stays correct meanwhile (events are
                // only kept longer than promised).
                Err(err) => tracing::warn!(error = %err, "cannot purge expired change events"),
            }
            match state.lifecycle.purge_expired(SystemClock.now()).await {
                Ok(0) => {}
                Ok(purged) => {
                    tracing::info!(purged, "purged soft-deleted resources past their retention")
                }
                // The next tick retries; until then they stay restorable a little longer.
                Err(err) => tracing::warn!(error = %err, "cannot purge soft-deleted resources"),
            }
            match state.console.purge().await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "purged old console sessions and setup links"),
                Err(err) => tracing::warn!(error = %err, "cannot purge old console sessions"),
            }
        }
    });
}
