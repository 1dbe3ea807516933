//! `scimgate token ...`: a tenant's opaque bearer tokens, with the fixed claims and policy
//! that restrict them as they restrict OAuth clients.

use clap::Subcommand;
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::client::FixedClaims;
use scimgate_domain::ports::{Clock, SystemClock};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::tenant::TenantSlug;
use scimgate_domain::token::{TokenId, TokenRecord};

use super::credential_update::CredentialUpdate;
use super::table;
use super::{CliError, parse_expiry};
use crate::config::Settings;
use crate::startup::{build_state, open_database};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token; prints the token alone on stdout.
    Create {
        #[arg(long)]
        tenant: String,
        /// Space- or comma-separated, e.g. "scim:read scim:write" (the default).
        #[arg(long)]
        scopes: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// An RFC 3339 time or a duration from now such as "30d" or "12h".
        #[arg(long)]
        expires: Option<String>,
        /// A JSON object the token's policy reads as `{{claims.<name>}}`, e.g.
        /// '{"org":"partner-a"}'.
        #[arg(long)]
        claims: Option<String>,
        /// A JSON policy: `userFilter`/`groupFilter` (SCIM filters with `{{claims.<name>}}`
        /// placeholders), `readable` and `writable` attribute lists.
        #[arg(long)]
        policy: Option<String>,
    },
    /// List a tenant's tokens (never their secrets): id, name, scopes, status, claims, policy.
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Change a token's name, scopes, claims or policy; what is not named is kept. The
    /// change applies to the token's next request.
    Update {
        id: String,
        #[command(flatten)]
        update: CredentialUpdate,
    },
    /// Rotate a token: prints a new one (same name, scopes, claims, policy and expiry) alone on
    /// stdout; the old one keeps working for the grace period, then expires.
    Rotate {
        id: String,
        /// How long the old token keeps working, e.g. "1d" or "12h" (default: it stops now);
        /// at most 30 days.
        #[arg(long)]
        grace: Option<String>,
    },
    /// Revoke a token by id; it stops working at once.
    Revoke { id: String },
}

pub async fn token(settings: Settings, command: TokenCommand) -> Result<(), CliError> {
    let state = build_state(&settings, open_database(&settings).await?).await?;
    let registry = state.resources.registry();
    match command {
        TokenCommand::Create {
            tenant,
            scopes,
            name,
            expires,
            claims,
            policy,
        } => {
            let expires_at = expires
                .map(|raw| parse_expiry(&raw, SystemClock.now()))
                .transpose()?;
            let request = TokenRequest {
                name: AdminName::parse(name.unwrap_or_else(|| "cli".into()))?,
                scopes: Scope::parse_list(scopes.as_deref().unwrap_or_default())?,
                expires_at,
                claims: claims
                    .as_deref()
                    .map(FixedClaims::parse_str)
                    .transpose()?
                    .unwrap_or_default(),
                policy: policy
                    .as_deref()
                    .map(|raw| Policy::parse_str(raw, registry))
                    .transpose()?,
            };
            let issued = state
                .tokens
                .issue(
                    &AdminContext::operator(None),
                    &TenantSlug::parse(&tenant)?,
                    request,
                )
                .await?;
            eprintln!(
                "issued token {} for tenant '{tenant}' (shown once)",
                issued.record.id
            );
            println!("{}", issued.token);
        }
        TokenCommand::List { tenant } => {
            for record in state
                .tokens
                .list(&AdminContext::operator(None), &TenantSlug::parse(&tenant)?)
                .await?
            {
                println!("{}", list_line(&record));
            }
        }
        TokenCommand::Update { id, update } => {
            let change = update.change(registry)?;
            let record = state
                .tokens
                .update(&AdminContext::operator(None), &TokenId::parse(&id)?, change)
                .await?;
            eprintln!("updated token {}", record.id);
        }
        TokenCommand::Rotate { id, grace } => {
            let grace = match grace {
                Some(raw) => humantime::parse_duration(&raw)
                    .ok()
                    .and_then(|d| chrono::TimeDelta::from_std(d).ok())
                    .ok_or_else(|| {
                        CliError::Config(format!("--grace '{raw}' is not a duration like 1d"))
                    })?,
                None => chrono::TimeDelta::zero(),
            };
            let rotated = state
                .tokens
                .rotate(&AdminContext::operator(None), &TokenId::parse(&id)?, grace)
                .await?;
            eprintln!(
                "issued token {} (shown once); token {id} stops working at {}",
                rotated.new.record.id,
                rotated.old_expires_at.to_rfc3339()
            );
            println!("{}", rotated.new.token);
        }
        TokenCommand::Revoke { id } => {
            let record = state
                .tokens
                .revoke(&AdminContext::operator(None), &TokenId::parse(&id)?)
                .await?;
            eprintln!("revoked token {}", record.id);
        }
    }
    Ok(())
}

/// `id name scopes status claims policy`, tab-separated and escaped; claims and policy as
/// compact JSON (`{}` and `null` when the token has none).
fn list_line(record: &TokenRecord) -> String {
    let scopes: Vec<&str> = record.scopes.iter().map(|s| s.as_str()).collect();
    let status = match (record.revoked_at, record.expires_at) {
        (Some(at), _) => format!("revoked {}", at.to_rfc3339()),
        (None, Some(at)) => format!("expires {}", at.to_rfc3339()),
        (None, None) => "active".into(),
    };
    let claims = serde_json::Value::Object(record.claims.as_map().clone());
    let policy = serde_json::to_value(&record.policy).unwrap_or_default();
    table::row(&[
        &record.id.to_string(),
        &record.name,
        &scopes.join(" "),
        &status,
        &claims.to_string(),
        &policy.to_string(),
    ])
}
