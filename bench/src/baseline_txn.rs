//! The database's own ceiling for a create, measured in the same run as `POST /Users` (what
//! pgbench would measure with a script of the same shape): `connections` clients in a closed
//! loop (one on SQLite, which has one writer), each committing transactions of one resource
//! row, one INSERT of ten value rows, one audit row and one outbox event, straight through
//! sea-orm on the server's own connection settings — no HTTP, no JSON handling, no scimgate.
//! The rows go to a tenant of their own (`bench-baseline`), so the measured tenant's counts
//! stay true; on PostgreSQL their events are numbered by the idle server's sequencer, as a
//! real create's are.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use scimgate_infra::db::entities::{audit_log, events, resource_values as rv, resources};
use scimgate_infra::db::{DatabaseConnection, DatabaseSettings, connect};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{DbErr, EntityTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::args::Plan;
use crate::load::{Measurement, WorkerLog};
use crate::users::UserSpec;

pub const NAME: &str = "baseline: create-shaped transaction, database only";
pub const SHAPE: &str = "BEGIN; INSERT resources (1 row); INSERT resource_values (10 rows); \
    INSERT audit_log (1 row); INSERT events (1 row); COMMIT";

/// Value rows per transaction (a seeded user has 13 on average; the script had 10).
const VALUES: i32 = 10;

/// What one client of the baseline does, once per transaction.
async fn one_create(db: &DatabaseConnection, tenant: Uuid, run: &str, n: u64) -> Result<(), DbErr> {
    let id = Uuid::now_v7();
    let now = Utc::now();
    let mut document = UserSpec::new(0, n).document();
    let user_name = format!("baseline-{run}-{n}@example.com");
    document["userName"] = json!(user_name);
    document["id"] = json!(id.to_string());
    let txn = db.begin().await?;
    let row = resources::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        resource_type: Set("User".into()),
        version: Set(1),
        created: Set(now),
        last_modified: Set(now),
        document: Set(document.clone()),
        user_name_ci: Set(Some(user_name)),
        external_id: Set(None),
        display_name_ci: Set(Some(format!("baseline user {n}"))),
        display: Set(None),
        password_hash: Set(None),
    };
    resources::Entity::insert(row)
        .exec_without_returning(&txn)
        .await?;
    let values = (0..VALUES).map(|element| rv::ActiveModel {
        tenant_id: Set(tenant),
        resource_id: Set(id),
        attr_path: Set("emails.value".into()),
        element: Set(element),
        is_primary: Set(element == 0),
        value_norm: Set(Some(format!("{element}.{n}.{run}@example.com"))),
        value_num: Set(None),
    });
    rv::Entity::insert_many(values)
        .exec_without_returning(&txn)
        .await?;
    let audit = audit_log::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(Uuid::now_v7()),
        at: Set(now),
        actor: Set("bench-baseline".into()),
        action: Set("user.create".into()),
        target_type: Set(Some("User".into())),
        target_id: Set(Some(id.to_string())),
        status: Set(201),
        scim_type: Set(None),
        request_id: Set(None),
    };
    audit_log::Entity::insert(audit)
        .exec_without_returning(&txn)
        .await?;
    let event = events::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(Uuid::now_v7()),
        sequence: Set(None),
        txn: Set(Uuid::now_v7()),
        event_type: Set("user.created".into()),
        operation: Set("create".into()),
        resource_type: Set("User".into()),
        resource_id: Set(id),
        external_id: Set(None),
        version: Set(1),
        actor: Set("bench-baseline".into()),
        request_id: Set(None),
        occurred_at: Set(now),
        payload: Set(document),
        recorded: NotSet,
    };
    events::Entity::insert(event)
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await
}

/// Concurrent clients: the plan's connections, one on SQLite (one writer at a time).
pub fn clients(plan: &Plan) -> usize {
    if plan.is_postgres {
        plan.connections
    } else {
        1
    }
}

/// Runs the baseline for `plan.warmup` (unrecorded) plus `plan.duration`.
pub async fn measure(plan: &Plan, tenant: Uuid, run: &str) -> anyhow::Result<Measurement> {
    let clients = clients(plan);
    let db = connect(&DatabaseSettings {
        url: plan.database_url.clone(),
        schema: None,
        max_connections: u32::try_from(clients).unwrap_or(u32::MAX),
        acquire_timeout: Duration::from_secs(30),
    })
    .await?;
    let next = Arc::new(AtomicU64::new(0));
    let measure_from = Instant::now() + plan.warmup;
    let until = measure_from + plan.duration;
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (db, next, run) = (db.clone(), next.clone(), run.to_owned());
            tokio::spawn(async move {
                let mut log = WorkerLog::default();
                loop {
                    let started = Instant::now();
                    if started >= until {
                        return log;
                    }
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let outcome = one_create(&db, tenant, &run, n).await;
                    if started < measure_from {
                        continue;
                    }
                    let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                    log.latencies_us.push(micros);
                    if let Err(err) = outcome {
                        log.errors += 1;
                        log.first_error.get_or_insert(err.to_string());
                    }
                }
            })
        })
        .collect();
    let mut logs = Vec::new();
    for worker in workers {
        logs.push(worker.await?);
    }
    let seconds = measure_from.elapsed().as_secs_f64();
    db.close().await?;
    Ok(Measurement::of(logs, seconds))
}
