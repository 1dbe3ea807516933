//! The `scimgate` command line: serve, migrate, and tenant administration against the
//! configured database (tokens in `cli/tokens.rs`, OAuth clients and signing keys in
//! `cli/oauth.rs`, trusted issuers in `cli/issuers.rs`, console setup links in `cli/console.rs`). Command output meant for scripts goes
//! to stdout; the rest to stderr.

pub mod console;
mod credential_update;
mod issuers;
mod lifecycle;
mod oauth;
mod table;
mod tokens;
mod webhooks;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::error::DomainError;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;

use crate::config::{Settings, redact_url};
use crate::startup::{Application, StartupError, build_state, migrate_database, open_database};
use crate::telemetry::OtlpTarget;

#[derive(Parser)]
#[command(
    name = "scimgate",
    version,
    about = "Multi-tenant SCIM 2.0 service provider"
)]
pub struct Cli {
    /// TOML configuration file (values in the environment override it).
    #[arg(long, global = true, env = "SCIMGATE_CONFIG")]
    pub config: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage bearer tokens.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// Manage OAuth clients (client credentials grant at /oauth/token).
    #[command(subcommand)]
    Client(oauth::ClientCommand),
    /// Manage the keys that sign OAuth access tokens.
    #[command(subcommand)]
    Key(oauth::KeyCommand),
    /// Manage the authorization servers a tenant trusts (their JWTs or introspected tokens).
    #[command(subcommand)]
    Issuer(issuers::IssuerCommand),
    /// Manage the webhook endpoints a tenant's change events are posted to.
    #[command(subcommand)]
    Webhook(webhooks::WebhookCommand),
    /// The web console: setup links for a tenant's IT admin.
    #[command(subcommand)]
    Console(console::ConsoleCommand),
}

#[derive(Subcommand)]
pub enum TenantCommand {
    /// Create a tenant; prints its SCIM base path.
    Create {
        slug: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// List tenants.
    List,
    /// Show a tenant's lifecycle policy, or change it: --deletion (and --retention-days),
    /// --verified-domains, --seat-limit; what is not given stays.
    Lifecycle {
        slug: String,
        /// hard (a DELETE removes at once) or soft (kept for a restore, then purged).
        #[arg(long)]
        deletion: Option<String>,
        /// Days a soft-deleted resource stays restorable (1 to 3650; with --deletion soft).
        #[arg(long)]
        retention_days: Option<u32>,
        /// Comma-separated domains users must be in ("" turns the rule off).
        #[arg(long)]
        verified_domains: Option<String>,
        /// Most active users, or none.
        #[arg(long)]
        seat_limit: Option<String>,
    },
    /// List a tenant's soft-deleted resources awaiting their purge, newest first.
    Archive { slug: String },
    /// Restore a soft-deleted resource with its id and memberships; prints its SCIM path.
    Restore { slug: String, id: String },
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("{0}")]
    Domain(#[from] DomainError),
    #[error("server stopped with an error: {0}")]
    Server(std::io::Error),
}

/// Parses `--expires`: an absolute RFC 3339 time or a duration from `now`.
pub fn parse_expiry(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, CliError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc));
    }
    let duration = humantime::parse_duration(raw).map_err(|_| {
        CliError::Config(format!(
            "--expires '{raw}' is neither an RFC 3339 time nor a duration like 30d"
        ))
    })?;
    chrono::Duration::from_std(duration)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .ok_or_else(|| CliError::Config(format!("--expires '{raw}' is too far away")))
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    let settings =
        Settings::load(cli.config.as_deref()).map_err(|err| CliError::Config(err.to_string()))?;
    let telemetry = crate::telemetry::init(
        settings.log_format,
        OtlpTarget::from_settings(&settings).as_ref(),
    )
    .map_err(|err| CliError::Config(err.to_string()))?;
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            migrate_database(&settings).await?;
            eprintln!(
                "migrations applied to {}",
                redact_url(&settings.database_url())
            );
            Ok(())
        }
        Command::Tenant(command) => tenant(settings, command).await,
        Command::Token(command) => tokens::token(settings, command).await,
        Command::Client(command) => oauth::client(settings, command).await,
        Command::Key(command) => oauth::key(settings, command).await,
        Command::Issuer(command) => issuers::issuer(settings, command).await,
        Command::Webhook(command) => webhooks::webhook(settings, command).await,
        Command::Console(command) => console::console(settings, command).await,
    };
    telemetry.shutdown().await;
    outcome
}

async fn serve(settings: Settings) -> Result<(), CliError> {
    let conn = open_database(&settings).await?;
    let state = Arc::new(build_state(&settings, conn).await?);
    let app = Application::bind_with_shutdown(
        &settings.listen,
        state.clone(),
        settings.shutdown_timeout,
    )?;
    let host = settings
        .listen
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    let origin = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{host}:{}", app.port));
    tracing::info!(
        database = %redact_url(&settings.database_url()),
        cache = if settings.redis_url.is_some() { "redis" } else { "in-process" },
        "scimgate listening on {origin} (SCIM at {origin}/t/<tenant>/scim/v2)"
    );
    if settings.demo_enabled() {
        crate::demo::bootstrap(&state, &origin).await?;
    }
    crate::event_retention::spawn_purge(state.clone());
    let _sequencing = crate::event_sequencer::spawn_sequencer(state.clone());
    let _dispatching = crate::webhook_dispatch::spawn_dispatcher(state.dispatcher.clone());
    let _flushing = crate::request_log::flusher::spawn_flusher(state.clone());
    // Returns once SIGTERM/SIGINT stopped the server and in-flight requests finished.
    let served = app.server.await;
    crate::request_log::flusher::flush(&state).await;
    state.metrics.shutdown().await;
    served.map_err(CliError::Server)
}

async fn tenant(settings: Settings, command: TenantCommand) -> Result<(), CliError> {
    let state = build_state(&settings, open_database(&settings).await?).await?;
    match command {
        TenantCommand::Create { slug, name } => {
            let tenant = state
                .tenants
                .create(
                    &AdminContext::operator(None),
                    TenantSlug::parse(&slug)?,
                    name.map(AdminName::parse).transpose()?,
                )
                .await?;
            eprintln!(
                "created tenant '{}' ({})",
                tenant.slug,
                table::cell(&tenant.name)
            );
            println!("/t/{}/scim/v2", tenant.slug);
        }
        TenantCommand::Lifecycle {
            slug,
            deletion,
            retention_days,
            verified_domains,
            seat_limit,
        } => {
            let change = lifecycle::PolicyChange {
                deletion,
                retention_days,
                verified_domains,
                seat_limit,
            };
            lifecycle::policy(&state, &slug, change).await?;
        }
        TenantCommand::Archive { slug } => lifecycle::archive(&state, &slug).await?,
        TenantCommand::Restore { slug, id } => lifecycle::restore(&state, &slug, &id).await?,
        TenantCommand::List => {
            for tenant in state.tenants.list(&AdminContext::operator(None)).await? {
                println!(
                    "{}",
                    table::row(&[
                        tenant.slug.as_str(),
                        &tenant.name,
                        &tenant.created.to_rfc3339(),
                    ])
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use super::*;

    #[test]
    fn expiry_accepts_durations_and_timestamps() {
        let now = Utc::now();
        assert_eq!(
            parse_expiry("1h", now).unwrap(),
            now + chrono::Duration::hours(1)
        );
        let at = parse_expiry("2030-01-01T00:00:00Z", now).unwrap();
        assert_eq!(at.to_rfc3339(), "2030-01-01T00:00:00+00:00");
        assert!(parse_expiry("soon", now).is_err());
    }
}
