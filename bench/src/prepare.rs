//! Everything before the server starts: migrate, seed (or reuse), issue a token, explain the
//! filter queries; then the bench lets go of the database.

use anyhow::Context;
use scimgate_api::config::Settings;
use scimgate_api::startup::{build_state, open_database};
use sea_orm::{ConnectionTrait, DbBackend};
use secrecy::SecretString;

use crate::args::Plan;
use crate::explain::{self, Plan as QueryPlan};
use crate::scenarios::{filters, target_user};
use crate::tenants::{self, MAIN_SALT};

pub struct Prepared {
    pub users: u64,
    pub noise_users: u64,
    pub seed_secs: Option<f64>,
    pub token: String,
    pub plans: Vec<QueryPlan>,
    pub database_version: String,
    /// Tenant id of the create baseline's rows.
    pub baseline_tenant: uuid::Uuid,
}

/// The bench's own SQLite file of a smoke run starts empty every time.
fn remove_smoke_file(plan: &Plan) -> anyhow::Result<()> {
    let Some(file) = plan.own_sqlite_file.as_ref().filter(|_| plan.smoke) else {
        return Ok(());
    };
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", file.display());
        match std::fs::remove_file(&path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(err).with_context(|| format!("removing {path}"));
            }
            _ => {}
        }
    }
    Ok(())
}

pub async fn database(plan: &Plan) -> anyhow::Result<Prepared> {
    remove_smoke_file(plan)?;
    let mut settings = Settings::defaults()?;
    settings.database_url = Some(SecretString::from(plan.database_url.clone()));
    if !plan.is_postgres {
        // One connection: the bulk load's PRAGMA applies to the connection that writes.
        settings.database_max_connections = 1;
    }
    let db = open_database(&settings).await?;
    let state = build_state(&settings, db.clone()).await?;
    let seeded = tenants::prepare(plan, &state, &db).await?;
    if seeded.seed_secs.is_some() && db.get_database_backend() == DbBackend::Postgres {
        // What autovacuum would do shortly after a bulk load: statistics and visibility map.
        eprintln!("VACUUM ANALYZE");
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    let token = tenants::issue_token(&state, &seeded.tenant).await?;
    let baseline_tenant = tenants::baseline(&state).await?.id.0;
    let user = target_user(MAIN_SALT, seeded.users);
    let plans = explain::plans(&db, seeded.tenant.id, &filters(&user)).await?;
    let database_version = crate::machine::database_version(&db).await;
    drop(state);
    db.close().await?;
    Ok(Prepared {
        users: seeded.users,
        noise_users: seeded.noise_users,
        seed_secs: seeded.seed_secs,
        token,
        plans,
        database_version,
        baseline_tenant,
    })
}

/// `ANALYZE` on PostgreSQL after the bench's own bulk writes (the 100 000-member group), as
/// autovacuum would do soon after them; without it a planner that last saw an empty
/// membership table scans it on every write. SQLite gets none, as in production.
pub async fn refresh_statistics(plan: &Plan) -> anyhow::Result<()> {
    if !plan.is_postgres {
        return Ok(());
    }
    let mut settings = Settings::defaults()?;
    settings.database_url = Some(SecretString::from(plan.database_url.clone()));
    settings.database_max_connections = 1;
    let db = open_database(&settings).await?;
    eprintln!("  ANALYZE");
    db.execute_unprepared("ANALYZE").await?;
    db.close().await?;
    Ok(())
}
