//! `scimgate tenant lifecycle|archive|restore`: a tenant's deletion policy and its archive of
//! soft-deleted resources, as the operator manages them.

use scimgate_domain::error::DomainError;
use scimgate_domain::lifecycle::{Deletion, LifecyclePolicy};
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use uuid::Uuid;

use super::{CliError, table};
use crate::state::AppState;

/// Prints the policy (`deletion`, then the retention in days when soft), after setting it
/// when `deletion` is given.
pub async fn policy(
    state: &AppState,
    slug: &str,
    deletion: Option<String>,
    retention_days: Option<u32>,
) -> Result<(), CliError> {
    let operator = AdminContext::operator(None);
    let slug = TenantSlug::parse(slug)?;
    let policy = match deletion {
        Some(mode) => {
            let policy = LifecyclePolicy {
                deletion: Deletion::parse(&mode, retention_days)?,
            };
            state.lifecycle.set_policy(&operator, &slug, policy).await?
        }
        None if retention_days.is_some() => {
            return Err(CliError::Config(
                "--retention-days goes with --deletion soft".into(),
            ));
        }
        None => state.lifecycle.policy(&operator, &slug).await?,
    };
    let days = policy
        .deletion
        .retention_days()
        .map(|d| d.to_string())
        .unwrap_or_default();
    println!("{}", table::row(&[policy.deletion.name(), &days]));
    Ok(())
}

/// One line per archived resource: id, type, display, deleted at, purged after.
pub async fn archive(state: &AppState, slug: &str) -> Result<(), CliError> {
    let operator = AdminContext::operator(None);
    let archived = state
        .lifecycle
        .archived(&operator, &TenantSlug::parse(slug)?)
        .await?;
    for resource in archived {
        println!(
            "{}",
            table::row(&[
                &resource.id.to_string(),
                resource.kind.name(),
                resource.display.as_deref().unwrap_or(""),
                &resource.deleted_at.to_rfc3339(),
                &resource
                    .purge_after
                    .map(|at| at.to_rfc3339())
                    .unwrap_or_default(),
            ])
        );
    }
    Ok(())
}

pub async fn restore(state: &AppState, slug: &str, id: &str) -> Result<(), CliError> {
    let operator = AdminContext::operator(None);
    let slug = TenantSlug::parse(slug)?;
    let id = Uuid::try_parse(id)
        .map_err(|_| DomainError::NotFound(format!("no archived resource '{id}'")))?;
    let restored = state
        .lifecycle
        .restore(&operator, &slug, id, &state.resources)
        .await?;
    eprintln!(
        "restored {} {} at version {}",
        restored.kind.name(),
        restored.id,
        restored.version
    );
    println!(
        "/t/{slug}/scim/v2{}/{}",
        restored.kind.endpoint(),
        restored.id
    );
    Ok(())
}
