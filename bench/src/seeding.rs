//! Filling a tenant with generated users: documents go through the same canonicalisation and
//! indexing as a POST, then into the database in bulk. Generation runs on a blocking thread
//! while the previous batch is being written.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use scimgate_domain::resource::canonical::canonicalize;
use scimgate_domain::resource::searchable::searchable_values;
use scimgate_domain::resource::stored::{IndexedValues, ResourceWrite};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use scimgate_infra::db::DatabaseConnection;
use scimgate_infra::db::seed::bulk_insert_users;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::users::UserSpec;

/// Users generated and written per round trip through the channel.
const BATCH: u64 = 10_000;

/// The write `ResourceService::create` would hand the store for this user.
pub fn write_of(registry: &SchemaRegistry, spec: &UserSpec) -> anyhow::Result<ResourceWrite> {
    let kind = ResourceKind::User;
    let input = canonicalize(registry, kind, spec.document())
        .with_context(|| format!("generated user {} is invalid", spec.index))?;
    let document = input.document;
    Ok(ResourceWrite {
        id: spec.id(),
        kind,
        values: searchable_values(registry, kind, &document),
        indexed: IndexedValues::of(&document),
        document,
        password_hash: None,
        members: Vec::new(),
        references: Vec::new(),
        at: spec.created(),
        takes_seat: false,
    })
}

fn generate(
    registry: &SchemaRegistry,
    salt: u64,
    range: std::ops::Range<u64>,
) -> anyhow::Result<Vec<ResourceWrite>> {
    range
        .map(|i| write_of(registry, &UserSpec::new(salt, i)))
        .collect()
}

/// Writes users `0..count` of `salt` into `tenant`, `writers` batches at a time.
pub async fn seed_users(
    db: &DatabaseConnection,
    tenant: TenantId,
    salt: u64,
    count: u64,
    writers: usize,
    label: &str,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let registry = Arc::new(SchemaRegistry::standard());
    let (tx, mut rx) = mpsc::channel::<anyhow::Result<Vec<ResourceWrite>>>(writers);
    let producer = tokio::task::spawn_blocking(move || {
        let mut next = 0;
        while next < count {
            let end = (next + BATCH).min(count);
            if tx
                .blocking_send(generate(&registry, salt, next..end))
                .is_err()
            {
                return;
            }
            next = end;
        }
    });
    let mut in_flight = JoinSet::new();
    let mut written = 0u64;
    loop {
        let batch = if in_flight.len() < writers {
            rx.recv().await
        } else {
            None
        };
        match batch {
            Some(batch) => {
                let (db, batch) = (db.clone(), batch?);
                in_flight.spawn(async move {
                    bulk_insert_users(&db, tenant, &batch)
                        .await
                        .map(|()| batch.len())
                });
                continue;
            }
            None => match in_flight.join_next().await {
                Some(done) => {
                    written += done?.with_context(|| format!("inserting users of {label}"))? as u64;
                }
                None => break,
            },
        }
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        eprint!(
            "\r  {label}: {written}/{count} users ({:.0} users/s)   ",
            written as f64 / secs
        );
    }
    eprintln!();
    producer.await.context("user generator panicked")?;
    Ok(())
}
