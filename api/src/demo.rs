//! First start without configuration: a `demo` tenant and a token, printed once, so a new
//! user can point a SCIM client at scimgate right away.

use scimgate_domain::admin_name::AdminName;
use scimgate_domain::error::DomainError;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::tenant::TenantSlug;

use crate::state::AppState;

/// Creates the demo tenant when the database has no tenant at all; prints its base URL and
/// token. Does nothing on later starts, so the token is shown exactly once.
pub async fn bootstrap(state: &AppState, origin: &str) -> Result<(), DomainError> {
    if !state
        .tenants
        .list(&AdminContext::operator(None))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let slug = TenantSlug::parse("demo")?;
    let tenant = match state
        .tenants
        .create(
            &AdminContext::operator(None),
            slug.clone(),
            Some(AdminName::parse("Demo")?),
        )
        .await
    {
        Ok(tenant) => tenant,
        // Another replica won the race; it printed the token.
        Err(DomainError::Conflict(_)) => return Ok(()),
        Err(err) => return Err(err),
    };
    let issued = state
        .tokens
        .issue(
            &AdminContext::operator(None),
            &tenant.slug,
            TokenRequest {
                name: AdminName::parse("demo")?,
                scopes: Vec::new(),
                ..Default::default()
            },
        )
        .await?;
    let base = format!("{origin}/t/{}/scim/v2", tenant.slug);
    eprintln!();
    eprintln!("  Created tenant 'demo' (shown once; keep the token).");
    eprintln!("  SCIM base URL: {base}");
    eprintln!("  Bearer token:  {}", issued.token);
    eprintln!();
    eprintln!("  Try it:");
    eprintln!(
        "    curl -H 'Authorization: Bearer {}' {base}/Users",
        issued.token
    );
    eprintln!();
    Ok(())
}
