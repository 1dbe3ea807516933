//! `scimgate client ...` (OAuth clients of a tenant) and `scimgate key rotate` (the key that
//! signs access tokens).

use clap::Subcommand;
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::client::{ClientId, FixedClaims};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::clients::ClientRequest;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;

use super::CliError;
use super::credential_update::CredentialUpdate;
use super::table;
use crate::config::Settings;
use crate::startup::{build_state, open_database};

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Create an OAuth client; prints `client_id=...` and `client_secret=...` on stdout.
    Create {
        #[arg(long)]
        tenant: String,
        /// Scopes the client may ask for, space- or comma-separated (default
        /// "scim:read scim:write scim:bulk").
        #[arg(long)]
        scopes: Option<String>,
        /// A JSON object copied into each access token under `claims`, e.g. '{"org":"partner-a"}'.
        #[arg(long)]
        claims: Option<String>,
        /// A JSON policy: `userFilter`/`groupFilter` (SCIM filters with `{{claims.<name>}}`
        /// placeholders), `readable` and `writable` attribute lists.
        #[arg(long)]
        policy: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// List a tenant's clients (never their secrets).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Change a client's scopes, claims or policy; what is not named is kept. A new policy
    /// applies to outstanding tokens, scopes and claims to tokens issued afterwards.
    Update {
        client_id: String,
        #[command(flatten)]
        update: CredentialUpdate,
    },
    /// Revoke a client: no new tokens, and its outstanding tokens are refused.
    Revoke { client_id: String },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Make a new signing key active; the old ones keep verifying until their tokens expire.
    Rotate,
}

pub async fn client(settings: Settings, command: ClientCommand) -> Result<(), CliError> {
    let state = build_state(&settings, open_database(&settings).await?).await?;
    match command {
        ClientCommand::Create {
            tenant,
            scopes,
            claims,
            policy,
            name,
        } => {
            let request = ClientRequest {
                name: AdminName::parse(name.unwrap_or_else(|| "cli".into()))?,
                scopes: Scope::parse_list(scopes.as_deref().unwrap_or_default())?,
                claims: claims
                    .as_deref()
                    .map(FixedClaims::parse_str)
                    .transpose()?
                    .unwrap_or_default(),
                policy: policy
                    .as_deref()
                    .map(|raw| Policy::parse_str(raw, state.resources.registry()))
                    .transpose()?,
            };
            let issued = state
                .clients
                .create(
                    &AdminContext::operator(None),
                    &TenantSlug::parse(&tenant)?,
                    request,
                )
                .await?;
            eprintln!(
                "created OAuth client {} for tenant '{tenant}' (secret shown once)",
                issued.client.client_id
            );
            println!("client_id={}", issued.client.client_id);
            println!("client_secret={}", issued.client_secret);
        }
        ClientCommand::List { tenant } => {
            for client in state
                .clients
                .list(&AdminContext::operator(None), &TenantSlug::parse(&tenant)?)
                .await?
            {
                let scopes: Vec<&str> = client.scopes.iter().map(|s| s.as_str()).collect();
                let status = match client.revoked_at {
                    Some(at) => format!("revoked {}", at.to_rfc3339()),
                    None => "active".into(),
                };
                let claims = serde_json::Value::Object(client.claims.into_map());
                println!(
                    "{}",
                    table::row(&[
                        &client.client_id.to_string(),
                        &client.name,
                        &scopes.join(" "),
                        &claims.to_string(),
                        &status,
                    ])
                );
            }
        }
        ClientCommand::Update { client_id, update } => {
            let change = update.change(state.resources.registry())?;
            let id = ClientId::parse(&client_id)?;
            let client = state
                .clients
                .update(&AdminContext::operator(None), &id, change)
                .await?;
            eprintln!("updated OAuth client {}", client.client_id);
        }
        ClientCommand::Revoke { client_id } => {
            let client = state
                .clients
                .revoke(&AdminContext::operator(None), &ClientId::parse(&client_id)?)
                .await?;
            eprintln!("revoked OAuth client {}", client.client_id);
        }
    }
    Ok(())
}

pub async fn key(settings: Settings, command: KeyCommand) -> Result<(), CliError> {
    let state = build_state(&settings, open_database(&settings).await?).await?;
    match command {
        KeyCommand::Rotate => {
            let key = state.keys.rotate().await?;
            eprintln!(
                "signing key {} is now active; earlier keys verify until their tokens expire",
                key.kid
            );
        }
    }
    Ok(())
}
