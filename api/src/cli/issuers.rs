//! `scimgate issuer ...`: the authorization servers a tenant trusts besides scimgate.

use clap::{Args, Subcommand};
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::trusted_issuer::{
    IntrospectionSecret, IssuerId, TrustedIssuerRequest, Verification,
};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;

use super::{CliError, table};
use crate::config::Settings;
use crate::startup::{build_state, open_database};

#[derive(Subcommand)]
pub enum IssuerCommand {
    /// Trust an authorization server's tokens for a tenant; prints the entry's id on stdout.
    Create(Box<CreateIssuer>),
    /// List a tenant's trusted issuers (never the introspection secret).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Stop trusting an issuer; its tokens are refused from then on.
    Delete {
        #[arg(long)]
        tenant: String,
        id: String,
    },
}

/// `issuer create`: boxed in the command enum, it is much larger than its siblings.
#[derive(Args)]
pub struct CreateIssuer {
    #[arg(long)]
    pub tenant: String,
    /// The tokens' `iss`, exactly (e.g. https://acme.okta.com/oauth2/default).
    #[arg(long)]
    pub issuer: String,
    /// What the tokens' `aud` must contain.
    #[arg(long)]
    pub audience: String,
    /// The issuer's JWK Set, to verify JWTs locally.
    #[arg(long, conflicts_with = "introspection_url")]
    pub jwks_url: Option<String>,
    /// An RFC 7662 endpoint to ask about each (cached) token instead.
    #[arg(long, requires = "client_id")]
    pub introspection_url: Option<String>,
    /// The client scimgate authenticates as at the introspection endpoint.
    #[arg(long)]
    pub client_id: Option<String>,
    /// Its secret; prefer the environment variable, which stays out of shell history.
    #[arg(
        long,
        env = "SCIMGATE_INTROSPECTION_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<String>,
    /// The claim carrying scopes (default `scope`, falling back to `scp`).
    #[arg(long)]
    pub scope_claim: Option<String>,
    /// The most its tokens may do, space- or comma-separated (default
    /// "scim:read scim:write"); a token gets the intersection with its own scopes.
    #[arg(long)]
    pub scopes: Option<String>,
    /// Claims copied from the token for the policy, space- or comma-separated.
    #[arg(long)]
    pub copy_claims: Option<String>,
    /// A JSON policy, as for OAuth clients (e.g. a row filter on {{claims.org}}).
    #[arg(long)]
    pub policy: Option<String>,
}

pub async fn issuer(settings: Settings, command: IssuerCommand) -> Result<(), CliError> {
    let state = build_state(&settings, open_database(&settings).await?).await?;
    match command {
        IssuerCommand::Create(create) => {
            let CreateIssuer {
                tenant,
                issuer,
                audience,
                jwks_url,
                introspection_url,
                client_id,
                client_secret,
                scope_claim,
                scopes,
                copy_claims,
                policy,
            } = *create;
            let request = TrustedIssuerRequest {
                issuer,
                audience,
                jwks_url,
                introspection_url,
                client_id,
                client_secret: client_secret.map(IntrospectionSecret::new),
                scope_claim,
                allowed_scopes: Scope::parse_list(scopes.as_deref().unwrap_or_default())?,
                copy_claims: copy_claims
                    .as_deref()
                    .unwrap_or_default()
                    .split([' ', ','])
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned)
                    .collect(),
                policy: policy
                    .as_deref()
                    .map(|raw| Policy::parse_str(raw, state.resources.registry()))
                    .transpose()?,
            };
            let created = state
                .trusted_issuers
                .create(
                    &AdminContext::operator(None),
                    &TenantSlug::parse(&tenant)?,
                    request,
                )
                .await?;
            eprintln!(
                "tenant '{tenant}' now trusts tokens of {} (audience {})",
                table::cell(&created.issuer),
                table::cell(&created.audience)
            );
            println!("{}", created.id);
        }
        IssuerCommand::List { tenant } => {
            for entry in state
                .trusted_issuers
                .list(&AdminContext::operator(None), &TenantSlug::parse(&tenant)?)
                .await?
            {
                let scopes: Vec<&str> = entry.allowed_scopes.iter().map(|s| s.as_str()).collect();
                let how = match &entry.verification {
                    Verification::Jwks { url } => format!("jwks {url}"),
                    Verification::Introspection { url, client_id } => {
                        format!("introspection {url} as {client_id}")
                    }
                };
                println!(
                    "{}",
                    table::row(&[
                        &entry.id.to_string(),
                        &entry.issuer,
                        &entry.audience,
                        &how,
                        &scopes.join(" "),
                    ])
                );
            }
        }
        IssuerCommand::Delete { tenant, id } => {
            let deleted = state
                .trusted_issuers
                .delete(
                    &AdminContext::operator(None),
                    &TenantSlug::parse(&tenant)?,
                    IssuerId::parse(&id)?,
                )
                .await?;
            eprintln!(
                "tenant '{tenant}' no longer trusts {}",
                table::cell(&deleted.issuer)
            );
        }
    }
    Ok(())
}
