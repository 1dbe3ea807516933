//! `scimgate tenant lifecycle|archive|restore`: a tenant's deletion policy and its archive of
//! soft-deleted resources, as the operator manages them.

use scimgate_domain::error::DomainError;
use scimgate_domain::guard_rails::GuardRails;
use scimgate_domain::lifecycle::{Deletion, LifecyclePolicy};
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use uuid::Uuid;

use super::{CliError, table};
use crate::state::AppState;

/// What `scimgate tenant lifecycle` was asked to change; what is not given stays.
pub struct PolicyChange {
    pub deletion: Option<String>,
    pub retention_days: Option<u32>,
    /// Comma-separated domains; empty turns the rule off.
    pub verified_domains: Option<String>,
    /// A number, or `none` for no limit.
    pub seat_limit: Option<String>,
}

/// Prints the policy (`deletion`, the retention in days when soft, the verified domains
/// comma-separated, the seat limit), after applying `change` to it.
pub async fn policy(state: &AppState, slug: &str, change: PolicyChange) -> Result<(), CliError> {
    let operator = AdminContext::operator(None);
    let slug = TenantSlug::parse(slug)?;
    let current = state.lifecycle.policy(&operator, &slug).await?;
    let policy = if change.deletion.is_none()
        && change.verified_domains.is_none()
        && change.seat_limit.is_none()
    {
        if change.retention_days.is_some() {
            return Err(CliError::Config(
                "--retention-days goes with --deletion soft".into(),
            ));
        }
        current
    } else {
        let deletion = match change.deletion {
            Some(mode) => Deletion::parse(&mode, change.retention_days)?,
            None => current.deletion,
        };
        let domains: Vec<String> = match change.verified_domains {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
            None => current.guard_rails.verified_domains,
        };
        let seat_limit = match change.seat_limit.as_deref() {
            Some("none") => None,
            Some(number) => Some(number.parse::<u64>().map_err(|_| {
                CliError::Config(format!("--seat-limit: '{number}' is not a number or none"))
            })?),
            None => current.guard_rails.seat_limit,
        };
        let policy = LifecyclePolicy {
            deletion,
            guard_rails: GuardRails::parse(&domains, seat_limit)?,
        };
        state.lifecycle.set_policy(&operator, &slug, policy).await?
    };
    let days = policy
        .deletion
        .retention_days()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let domains = policy.guard_rails.verified_domains.join(",");
    let seats = policy
        .guard_rails
        .seat_limit
        .map_or_else(|| "none".to_owned(), |l| l.to_string());
    println!(
        "{}",
        table::row(&[policy.deletion.name(), &days, &domains, &seats])
    );
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
