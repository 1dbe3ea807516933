//! Recording and reading the audit log. Recording never fails the action it records: the
//! action has already happened (or failed) in the store, and answering 500 for a write that
//! succeeded would make clients retry it. A lost entry is logged at error level instead, and
//! the adapter counts it (`scimgate_audit_write_failures_total`), so it can be alerted on.
//!
//! A successful SCIM write carries its entry to the store (`EventDraft::audit`), which keeps
//! it in the write's own transaction: one commit instead of two, and no committed write
//! without its entry. When the entry cannot be stored there, the store writes without it and
//! counts the loss the same way. Failed writes and everything else are recorded here.

use std::sync::Arc;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use uuid::Uuid;

use crate::audit::{AuditCursor, AuditEntry, AuditPage, AuditQuery};
use crate::error::{DomainError, DomainResult};
use crate::ports::{AuditLog, Clock};
use crate::tenant::TenantId;

/// Entries per page when the request names no limit, and the most it may name.
pub const DEFAULT_AUDIT_PAGE: u64 = 50;
pub const MAX_AUDIT_PAGE: u64 = 200;

/// What is being recorded, before its outcome is known.
pub struct AuditEvent<'a> {
    pub tenant: TenantId,
    pub actor: &'a str,
    pub request_id: Option<&'a str>,
    /// `user.create`, `client.update`, ...
    pub action: String,
    pub target_type: &'static str,
    /// An id scimgate made (resource UUID, token or client id); never client-chosen text.
    pub target_id: Option<String>,
}

impl AuditEvent<'_> {
    pub fn target(self, id: impl ToString) -> Self {
        Self {
            target_id: Some(id.to_string()),
            ..self
        }
    }
}

/// A page request as the admin API takes it.
#[derive(Debug, Default, Clone)]
pub struct AuditPageRequest {
    pub since: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

pub struct Auditor {
    log: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl Auditor {
    pub fn new(log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Self {
        Self { log, clock }
    }

    /// Records `event` with the outcome of `result`: `success` (the status the action
    /// answers) or the error's status and `scimType`.
    pub async fn record<T>(&self, event: AuditEvent<'_>, success: u16, result: &DomainResult<T>) {
        let (status, scim_type) = match result {
            Ok(_) => (success, None),
            Err(err) => err.scim_status(),
        };
        self.record_status(event, status, scim_type).await;
    }

    /// Records `event` with the outcome of `result` and hands `result` back.
    pub async fn audited<T>(
        &self,
        event: AuditEvent<'_>,
        success: u16,
        result: DomainResult<T>,
    ) -> DomainResult<T> {
        self.record(event, success, &result).await;
        result
    }

    /// Like `audited` for a creation (201): the target is what `id_of` names in the result.
    pub async fn audited_create<T>(
        &self,
        event: AuditEvent<'_>,
        result: DomainResult<T>,
        id_of: impl FnOnce(&T) -> String,
    ) -> DomainResult<T> {
        let event = match &result {
            Ok(created) => event.target(id_of(created)),
            Err(_) => event,
        };
        self.audited(event, 201, result).await
    }

    /// Records `event` when `result` is a failure and hands `result` back; a success was
    /// recorded by the store with the write (`EventDraft::audit`).
    pub async fn audited_failure<T>(
        &self,
        event: AuditEvent<'_>,
        result: DomainResult<T>,
    ) -> DomainResult<T> {
        if let Err(err) = &result {
            let (status, scim_type) = err.scim_status();
            self.record_status(event, status, scim_type).await;
        }
        result
    }

    /// Records `event` with an outcome known by its status and `scimType`.
    pub async fn record_status(&self, event: AuditEvent<'_>, status: u16, scim_type: Option<&str>) {
        let entry = self.entry(event, status, scim_type);
        if let Err(err) = self.log.append(&entry).await {
            tracing::error!(
                error = %error_chain(&err),
                action = %entry.action,
                status = entry.status,
                "audit entry lost"
            );
        }
    }

    /// The entry of `event` with its outcome, stamped now.
    pub fn entry(&self, event: AuditEvent<'_>, status: u16, scim_type: Option<&str>) -> AuditEntry {
        let now = self.clock.now();
        AuditEntry {
            id: Uuid::now_v7(),
            tenant_id: event.tenant,
            // Both databases keep microseconds; truncating here keeps cursors exact.
            at: now
                .duration_trunc(TimeDelta::microseconds(1))
                .unwrap_or(now),
            actor: event.actor.to_owned(),
            action: event.action,
            target_type: Some(event.target_type.to_owned()),
            target_id: event.target_id,
            status,
            scim_type: scim_type.map(str::to_owned),
            request_id: event.request_id.map(str::to_owned),
        }
    }

    /// One page of `tenant`'s log, newest first.
    pub async fn page(
        &self,
        tenant: TenantId,
        request: &AuditPageRequest,
    ) -> DomainResult<AuditPage> {
        let limit = request.limit.unwrap_or(DEFAULT_AUDIT_PAGE);
        if !(1..=MAX_AUDIT_PAGE).contains(&limit) {
            return Err(DomainError::InvalidQuery(format!(
                "limit must be between 1 and {MAX_AUDIT_PAGE}"
            )));
        }
        let before = request
            .cursor
            .as_deref()
            .map(AuditCursor::decode)
            .transpose()?;
        // One more than asked tells whether an older page exists.
        let query = AuditQuery {
            since: request.since,
            before,
            limit: limit + 1,
        };
        let mut entries = self.log.list(tenant, &query).await?;
        let more = entries.len() as u64 > limit;
        entries.truncate(limit as usize);
        let next_cursor = more
            .then(|| entries.last().map(|e| AuditCursor::after(e).encode()))
            .flatten();
        Ok(AuditPage {
            entries,
            next_cursor,
        })
    }
}

/// The error and its causes on one line, for the log.
fn error_chain(err: &DomainError) -> String {
    let mut out = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}
