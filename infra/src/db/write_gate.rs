//! SQLite runs one write transaction at a time. A writer that finds the write lock taken waits
//! in SQLite's busy handler, which sleeps 1, 2, 5, 10, … ms between tries: under concurrent
//! writes the lock then often sits free while every writer sleeps (measured: 675 creates/s
//! on 32 connections). Resource writes on SQLite therefore queue here, in arrival order and
//! without holding a pooled connection, and take the lock only when it is theirs. PostgreSQL
//! writes side by side: there the gate is open.

use std::sync::Arc;

use scimgate_domain::error::DomainResult;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbBackend, TransactionTrait};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::errors::unavailable;

#[derive(Clone)]
pub struct WriteGate(Option<Arc<Mutex<()>>>);

/// A write transaction with its turn at the gate: keep it alive until the commit.
pub struct Turn(#[allow(dead_code)] Option<OwnedMutexGuard<()>>);

impl WriteGate {
    /// Closed (one writer at a time) on SQLite, open on PostgreSQL.
    pub fn for_database(db: &DatabaseConnection) -> Self {
        match db.get_database_backend() {
            DbBackend::Sqlite => Self(Some(Arc::new(Mutex::new(())))),
            _ => Self(None),
        }
    }

    /// Waits for this writer's turn, then begins its transaction.
    pub async fn begin(
        &self,
        db: &DatabaseConnection,
    ) -> DomainResult<(Turn, DatabaseTransaction)> {
        let turn = match &self.0 {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let txn = db.begin().await.map_err(unavailable)?;
        Ok((Turn(turn), txn))
    }
}
