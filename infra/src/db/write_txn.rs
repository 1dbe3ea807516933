//! How every resource write starts: its turn at the write gate (SQLite), its transaction, and
//! first in that transaction the write's audit entry (`EventDraft::audit`), so the entry
//! commits or rolls back with the write and costs no commit of its own. An entry that cannot be
//! stored must not fail the write it records (the audit log's rule): the transaction then
//! starts over without it, and the loss is counted and logged.

use std::sync::Arc;

use scimgate_domain::audit::AuditEntry;
use scimgate_domain::error::DomainResult;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use super::audit_repo::{SqlAuditLog, insert_entry};
use super::errors::unavailable;
use super::write_gate::{Turn, WriteGate};

pub struct WriteTxns {
    db: DatabaseConnection,
    gate: WriteGate,
    audit: Arc<SqlAuditLog>,
}

impl WriteTxns {
    pub fn new(db: DatabaseConnection, audit: Arc<SqlAuditLog>) -> Self {
        let gate = WriteGate::for_database(&db);
        Self { db, gate, audit }
    }

    /// Begins a write transaction holding `entry`; keep the `Turn` until the commit.
    pub async fn begin(
        &self,
        entry: Option<&AuditEntry>,
    ) -> DomainResult<(Turn, DatabaseTransaction)> {
        let (turn, txn) = self.gate.begin(&self.db).await?;
        let Some(entry) = entry else {
            return Ok((turn, txn));
        };
        match insert_entry(&txn, entry).await {
            Ok(()) => Ok((turn, txn)),
            Err(err) => {
                self.audit.lost(entry, &err);
                // PostgreSQL aborts a transaction at its first error: start a clean one.
                txn.rollback().await.map_err(unavailable)?;
                let txn = self.db.begin().await.map_err(unavailable)?;
                Ok((turn, txn))
            }
        }
    }
}
