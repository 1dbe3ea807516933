//! `scimgate webhook ...`: a tenant's webhook endpoints, as the operator registers them.

use clap::Subcommand;
use scimgate_domain::error::DomainError;
use scimgate_domain::event::Variant;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use scimgate_domain::webhook::WebhookFormat;
use scimgate_domain::webhook::request::WebhookRequest;
use uuid::Uuid;

use super::{CliError, table};
use crate::config::Settings;
use crate::startup::{build_state, open_database};

#[derive(Subcommand)]
pub enum WebhookCommand {
    /// Register an endpoint; prints its id on stdout and its signing secret (shown once) on
    /// stderr.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        url: String,
        /// Event types to deliver, comma-separated (e.g. user.created,user.deleted); all when
        /// absent.
        #[arg(long)]
        events: Option<String>,
        /// json (Standard Webhooks signatures) or set (signed SETs, RFC 8935).
        #[arg(long, default_value = "json")]
        format: String,
        /// full (resource data and previous values) or notice (changed attribute names).
        #[arg(long, default_value = "full")]
        variant: String,
    },
    /// List a tenant's endpoints (never their secrets).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Delete an endpoint with its queue and delivery log.
    Delete {
        #[arg(long)]
        tenant: String,
        id: String,
    },
}

pub async fn webhook(settings: Settings, command: WebhookCommand) -> Result<(), CliError> {
    let state = build_state(&settings, open_database(&settings).await?).await?;
    let operator = AdminContext::operator(None);
    match command {
        WebhookCommand::Create {
            tenant,
            url,
            events,
            format,
            variant,
        } => {
            let request = WebhookRequest {
                url,
                events: events.map(|raw| {
                    raw.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect()
                }),
                format: Some(WebhookFormat::parse(&format).ok_or_else(|| {
                    DomainError::InvalidValue(format!("--format: '{format}' is not json or set"))
                })?),
                variant: Some(Variant::parse(&variant)?),
            };
            let created = state
                .webhooks
                .create(&operator, &TenantSlug::parse(&tenant)?, request)
                .await?;
            eprintln!(
                "tenant '{tenant}' now posts its events to {}\nsigning secret (shown once): {}",
                table::cell(&created.webhook.url),
                created.secret
            );
            println!("{}", created.webhook.id);
        }
        WebhookCommand::List { tenant } => {
            for hook in state
                .webhooks
                .list(&operator, &TenantSlug::parse(&tenant)?)
                .await?
            {
                let events = if hook.events.is_empty() {
                    "all".to_owned()
                } else {
                    hook.events.join(",")
                };
                println!(
                    "{}",
                    table::row(&[
                        &hook.id.to_string(),
                        &hook.url,
                        hook.status.as_str(),
                        hook.format.as_str(),
                        &events,
                    ])
                );
            }
        }
        WebhookCommand::Delete { tenant, id } => {
            let id = Uuid::try_parse(&id)
                .map_err(|_| DomainError::NotFound(format!("webhook '{id}' not found")))?;
            let deleted = state
                .webhooks
                .delete(&operator, &TenantSlug::parse(&tenant)?, id)
                .await?;
            eprintln!("deleted the endpoint {}", table::cell(&deleted.url));
        }
    }
    Ok(())
}
