//! The request log's use cases: record a finished SCIM request without touching the database
//! (an in-process buffer, bounded: a full buffer drops the record and says so), write the
//! buffer out in one batch (`flush`, every second in `serve` and before each read here, so a
//! page shows what this replica answered), and read a tenant's log and health.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::{DomainError, DomainResult};
use crate::ports::{Clock, RequestLogStore};
use crate::request_log::{RequestHealth, RequestRecord};
use crate::tenant::TenantId;

/// How much the log keeps and buffers.
#[derive(Debug, Clone, Copy)]
pub struct RequestLogLimits {
    /// Records kept per tenant; older ones are deleted at each flush.
    pub keep: u64,
    /// Records waiting for the next flush at most; beyond, new ones are dropped.
    pub buffer: usize,
}

/// A flush that could not write its batch: those records are lost.
#[derive(Debug, thiserror::Error)]
#[error("{lost} request log records lost: {error}")]
pub struct FlushFailed {
    pub lost: usize,
    pub error: DomainError,
}

pub struct RequestLog {
    store: Arc<dyn RequestLogStore>,
    clock: Arc<dyn Clock>,
    limits: RequestLogLimits,
    pending: Mutex<Vec<RequestRecord>>,
}

impl RequestLog {
    pub fn new(
        store: Arc<dyn RequestLogStore>,
        clock: Arc<dyn Clock>,
        limits: RequestLogLimits,
    ) -> Self {
        Self {
            store,
            clock,
            limits,
            pending: Mutex::new(Vec::new()),
        }
    }

    pub fn limits(&self) -> RequestLogLimits {
        self.limits
    }

    /// The time a record is stamped with (a request's arrival).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Buffers `record` for the next flush; `false` (and the record dropped) when the buffer
    /// is full, so a slow or failing database never holds a SCIM request up.
    pub fn record(&self, record: RequestRecord) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if pending.len() >= self.limits.buffer {
            return false;
        }
        pending.push(record);
        true
    }

    /// Writes what is buffered in one batch; how many records were written.
    pub async fn flush(&self) -> Result<usize, FlushFailed> {
        let batch =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        if batch.is_empty() {
            return Ok(0);
        }
        match self.store.append(&batch, self.limits.keep).await {
            Ok(()) => Ok(batch.len()),
            Err(error) => Err(FlushFailed {
                lost: batch.len(),
                error,
            }),
        }
    }

    /// The tenant's kept records, newest first, after writing this replica's buffer (a
    /// failed flush is logged, not shown: the page still lists what was stored).
    #[tracing::instrument(skip(self), fields(tenant = %tenant.0), err)]
    pub async fn recent(&self, tenant: TenantId) -> DomainResult<Vec<RequestRecord>> {
        if let Err(failed) = self.flush().await {
            tracing::warn!(error = %failed, "cannot write the request log");
        }
        self.store.recent(tenant, self.limits.keep).await
    }

    /// The tenant's kept records, newest first, and its health over those of the last
    /// `window`.
    pub async fn with_health(
        &self,
        tenant: TenantId,
        window: TimeDelta,
    ) -> DomainResult<(Vec<RequestRecord>, RequestHealth)> {
        let records = self.recent(tenant).await?;
        let health = RequestHealth::of(&records, self.clock.now() - window);
        Ok((records, health))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use async_trait::async_trait;
    use uuid::Uuid;

    use super::*;
    use crate::ports::SystemClock;

    /// A store that keeps what it is given, or refuses every write.
    #[derive(Default)]
    struct Kept {
        records: Mutex<Vec<RequestRecord>>,
        refuse: bool,
    }

    #[async_trait]
    impl RequestLogStore for Kept {
        async fn append(&self, records: &[RequestRecord], _keep: u64) -> DomainResult<()> {
            if self.refuse {
                return Err(DomainError::unavailable(std::io::Error::other("down")));
            }
            self.records.lock().unwrap().extend_from_slice(records);
            Ok(())
        }

        async fn recent(&self, _: TenantId, _: u64) -> DomainResult<Vec<RequestRecord>> {
            Ok(self.records.lock().unwrap().clone())
        }
    }

    fn record(n: u16) -> RequestRecord {
        RequestRecord {
            tenant_id: TenantId(Uuid::nil()),
            id: Uuid::now_v7(),
            at: DateTime::UNIX_EPOCH,
            method: "GET".into(),
            route: "/scim/v2/Users".into(),
            operation: "list".into(),
            status: 200 + n,
            scim_type: None,
            latency: Duration::from_millis(1),
            caller: "tok".into(),
        }
    }

    fn log(store: Arc<Kept>, buffer: usize) -> RequestLog {
        RequestLog::new(
            store,
            Arc::new(SystemClock),
            RequestLogLimits { keep: 10, buffer },
        )
    }

    #[tokio::test]
    async fn a_full_buffer_refuses_new_records_until_a_flush_empties_it() {
        let store = Arc::new(Kept::default());
        let log = log(store.clone(), 2);

        let accepted: Vec<bool> = (0..3).map(|n| log.record(record(n))).collect();
        let written = log.flush().await.unwrap();
        let after_flush = log.record(record(3));

        assert_eq!(accepted, [true, true, false]);
        assert_eq!(written, 2);
        assert!(after_flush);
        let statuses: Vec<u16> = store
            .records
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.status)
            .collect();
        assert_eq!(statuses, [200, 201]);
    }

    #[tokio::test]
    async fn a_failed_write_reports_its_lost_records_and_frees_the_buffer() {
        let store = Arc::new(Kept {
            refuse: true,
            ..Default::default()
        });
        let log = log(store, 5);
        log.record(record(0));
        log.record(record(1));

        let failed = log.flush().await.unwrap_err();

        assert_eq!(failed.lost, 2);
        assert_eq!(log.flush().await.unwrap(), 0, "nothing left to retry");
    }
}
