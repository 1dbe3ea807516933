//! `scimgate console link --tenant <slug> [--expires 7d]`: a setup link of the web console,
//! printed alone on stdout for the operator to hand to the customer's IT admin. The URL's base
//! is `SCIMGATE_PUBLIC_URL`, else the address `serve` listens on.

use clap::Subcommand;
use scimgate_domain::ports::{Clock, SystemClock};
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;

use super::{CliError, parse_expiry};
use crate::config::Settings;
use crate::routes::admin::setup_links::setup_url;
use crate::startup::{build_state, open_database};
use crate::state::AppState;

#[derive(Subcommand)]
pub enum ConsoleCommand {
    /// Make a single-use setup link that opens the tenant's console; prints its URL (once).
    Link {
        #[arg(long)]
        tenant: String,
        /// An RFC 3339 time or a duration from now such as "7d" (the default) or "12h";
        /// at most 30 days.
        #[arg(long)]
        expires: Option<String>,
    },
}

pub async fn console(settings: Settings, command: ConsoleCommand) -> Result<(), CliError> {
    let origin = origin(&settings);
    let state = build_state(&settings, open_database(&settings).await?).await?;
    let url = run(&state, &origin, command).await?;
    if settings.public_url.is_none() {
        eprintln!(
            "SCIMGATE_PUBLIC_URL is unset: the link names the listen address; set it to the URL your customers reach"
        );
    }
    println!("{url}");
    Ok(())
}

/// Where the server is reached: the public URL, else its listen address.
pub fn origin(settings: &Settings) -> String {
    match &settings.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://{}", settings.listen),
    }
}

/// Runs `command` on `state`; the URL to print.
pub async fn run(
    state: &AppState,
    origin: &str,
    command: ConsoleCommand,
) -> Result<String, CliError> {
    match command {
        ConsoleCommand::Link { tenant, expires } => {
            let expires_at = expires
                .map(|raw| parse_expiry(&raw, SystemClock.now()))
                .transpose()?;
            let issued = state
                .setup_links
                .issue(
                    &AdminContext::operator(None),
                    &TenantSlug::parse(&tenant)?,
                    expires_at,
                )
                .await?;
            eprintln!(
                "setup link {} for tenant '{tenant}', single use, expires {} (shown once)",
                issued.link.id,
                issued.link.expires_at.to_rfc3339()
            );
            Ok(setup_url(origin, &issued.code))
        }
    }
}
