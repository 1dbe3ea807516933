//! How every resource write starts: its transaction, and first in it the write's audit entry
//! (`EventDraft::audit`), so the entry commits or rolls back with the write and costs no
//! commit of its own. An entry that cannot be stored must not fail the write it records (the
//! audit log's rule): the transaction then starts over without it, and the loss is counted
//! and logged. A batch of writes adds its entries after its rows, in a savepoint, to the same
//! effect.

use std::sync::Arc;

use scimgate_domain::audit::AuditEntry;
use scimgate_domain::error::DomainResult;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use super::audit_repo::{SqlAuditLog, insert_entries, insert_entry};
use super::errors::unavailable;

pub struct WriteTxns {
    db: DatabaseConnection,
    audit: Arc<SqlAuditLog>,
}

impl WriteTxns {
    pub fn new(db: DatabaseConnection, audit: Arc<SqlAuditLog>) -> Self {
        Self { db, audit }
    }

    /// Begins a write transaction holding `entry`.
    pub async fn begin(&self, entry: Option<&AuditEntry>) -> DomainResult<DatabaseTransaction> {
        let txn = self.db.begin().await.map_err(unavailable)?;
        let Some(entry) = entry else {
            return Ok(txn);
        };
        match insert_entry(&txn, entry).await {
            Ok(()) => Ok(txn),
            Err(err) => {
                self.audit.lost(entry, &err);
                // PostgreSQL aborts a transaction at its first error: start a clean one.
                txn.rollback().await.map_err(unavailable)?;
                self.db.begin().await.map_err(unavailable)
            }
        }
    }

    /// Adds the entries of a batch of writes to `txn` (already holding the writes) inside a
    /// savepoint: entries that cannot be stored are rolled back alone and counted as lost,
    /// and the writes stand.
    pub async fn add_entries(
        &self,
        txn: &DatabaseTransaction,
        entries: &[&AuditEntry],
    ) -> DomainResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let savepoint = txn.begin().await.map_err(unavailable)?;
        match insert_entries(&savepoint, entries).await {
            Ok(()) => savepoint.commit().await.map_err(unavailable),
            Err(err) => {
                for entry in entries {
                    self.audit.lost(entry, &err);
                }
                savepoint.rollback().await.map_err(unavailable)
            }
        }
    }
}
