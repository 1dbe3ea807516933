//! The measured tenant and the noise tenant: created and seeded, or found and reused.

use std::time::Instant;

use anyhow::{Context, bail};
use scimgate_api::state::AppState;
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::error::DomainError;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::tenant::{Tenant, TenantSlug};
use scimgate_infra::db::DatabaseConnection;
use scimgate_infra::db::entities::resources;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::args::Plan;
use crate::bulk_load;
use crate::seeding::seed_users;

pub const MAIN_SLUG: &str = "bench";
pub const NOISE_SLUG: &str = "bench-noise";
/// Holds the rows of the create baseline (`baseline_txn`), apart from the measured tenant.
pub const BASELINE_SLUG: &str = "bench-baseline";
/// Name of the token that marks a finished seed.
const SEED_MARK: &str = "bench seed complete";
/// Salts of the user generator: the noise tenant holds different ids and names.
pub const MAIN_SALT: u64 = 1;
pub const NOISE_SALT: u64 = 2;

/// The tenant the scenarios query.
pub struct Seeded {
    pub tenant: Tenant,
    pub users: u64,
    pub noise_users: u64,
    /// Seconds spent seeding both tenants, when this run seeded.
    pub seed_secs: Option<f64>,
}

async fn find(state: &AppState, slug: &str) -> anyhow::Result<Option<Tenant>> {
    match state
        .tenants
        .get(&AdminContext::operator(None), &TenantSlug::parse(slug)?)
        .await
    {
        Ok(tenant) => Ok(Some(tenant)),
        Err(DomainError::NotFound(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Users the seed wrote (`user<i>@example.com`): the write scenarios of earlier runs add
/// others (`bench-post-…`, `bench-bulk-…`), which the deterministic user indexes must not count.
async fn user_count(db: &DatabaseConnection, tenant: Option<&Tenant>) -> anyhow::Result<u64> {
    let Some(tenant) = tenant else {
        return Ok(0);
    };
    Ok(resources::Entity::find()
        .filter(resources::Column::TenantId.eq(tenant.id.0))
        .filter(resources::Column::ResourceType.eq(ResourceKind::User.name()))
        .filter(resources::Column::UserNameCi.like("user%@example.com"))
        .count(db)
        .await?)
}

async fn create(state: &AppState, slug: &str) -> anyhow::Result<Tenant> {
    Ok(state
        .tenants
        .create(
            &AdminContext::operator(None),
            TenantSlug::parse(slug)?,
            Some(AdminName::parse(format!("Benchmark {slug}"))?),
        )
        .await?)
}

/// Seeds both tenants, or reuses them when they already hold what the plan asks for
/// (with `--skip-seed`: whatever they hold).
pub async fn prepare(
    plan: &Plan,
    state: &AppState,
    db: &DatabaseConnection,
) -> anyhow::Result<Seeded> {
    let main = find(state, MAIN_SLUG).await?;
    let noise = find(state, NOISE_SLUG).await?;
    let users = user_count(db, main.as_ref()).await?;
    let noise_users = user_count(db, noise.as_ref()).await?;
    if let Some(tenant) = main {
        if !seed_completed(state, &tenant).await? {
            bail!("an earlier seed of this database did not finish: drop the database");
        }
        if !plan.skip_seed && (users, noise_users) != (plan.users, plan.noise_users) {
            bail!(
                "the database already holds tenant '{MAIN_SLUG}' with {users} users (and \
                 {noise_users} noise users), not {} (and {}): pass --skip-seed to measure it as \
                 it is, or drop the database",
                plan.users,
                plan.noise_users
            );
        }
        eprintln!("reusing the seeded database: {users} users, {noise_users} noise users");
        return Ok(Seeded {
            tenant,
            users,
            noise_users,
            seed_secs: None,
        });
    }
    if plan.skip_seed {
        bail!("--skip-seed: the database holds no tenant '{MAIN_SLUG}' to measure");
    }
    let tenant = create(state, MAIN_SLUG).await?;
    if noise_users > 0 {
        bail!("tenant '{NOISE_SLUG}' holds users but '{MAIN_SLUG}' is missing: drop the database");
    }
    let noise = match noise {
        Some(noise) => noise,
        None => create(state, NOISE_SLUG).await?,
    };
    eprintln!("seeding {} + {} noise users", plan.users, plan.noise_users);
    let started = Instant::now();
    let restore = bulk_load::drop_for_load(db).await?;
    // SQLite has one writer; PostgreSQL takes a second connection's writes in parallel.
    let writers = if plan.is_postgres { 2 } else { 1 };
    seed_users(db, tenant.id, MAIN_SALT, plan.users, writers, MAIN_SLUG).await?;
    seed_users(
        db,
        noise.id,
        NOISE_SALT,
        plan.noise_users,
        writers,
        NOISE_SLUG,
    )
    .await?;
    eprintln!("recreating indexes and constraints");
    restore.apply(db).await?;
    issue(state, &tenant, SEED_MARK).await?;
    Ok(Seeded {
        tenant,
        users: plan.users,
        noise_users: plan.noise_users,
        seed_secs: Some(started.elapsed().as_secs_f64()),
    })
}

async fn issue(state: &AppState, tenant: &Tenant, name: &str) -> anyhow::Result<String> {
    let issued = state
        .tokens
        .issue(
            &AdminContext::operator(None),
            &tenant.slug,
            TokenRequest {
                name: AdminName::parse(name)?,
                scopes: Vec::new(),
                ..Default::default()
            },
        )
        .await
        .context("issuing a token")?;
    Ok(issued.token)
}

/// Whether seeding ran to its end (indexes restored): it leaves a token with this name.
async fn seed_completed(state: &AppState, tenant: &Tenant) -> anyhow::Result<bool> {
    let tokens = state
        .tokens
        .list(&AdminContext::operator(None), &tenant.slug)
        .await?;
    Ok(tokens.iter().any(|t| t.name == SEED_MARK))
}

/// A fresh full-access token of the measured tenant (secrets are shown once, so every run
/// issues its own).
pub async fn issue_token(state: &AppState, tenant: &Tenant) -> anyhow::Result<String> {
    let name = format!("bench {}", chrono::Utc::now().to_rfc3339());
    issue(state, tenant, &name).await
}

/// The tenant of the create baseline, created on first use.
pub async fn baseline(state: &AppState) -> anyhow::Result<Tenant> {
    match find(state, BASELINE_SLUG).await? {
        Some(tenant) => Ok(tenant),
        None => create(state, BASELINE_SLUG).await,
    }
}
