//! Setup links: issue (the code is shown once, in the link's URL), list and revoke. A link
//! lives `DEFAULT_LINK_LIFETIME` unless the caller names another expiry, at most
//! `MAX_LINK_LIFETIME`.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::console::{LinkStatus, SetupLink, TenantSecret};
use crate::error::{DomainError, DomainResult};
use crate::service::admin::context::AdminContext;
use crate::service::console::ConsolePorts;
use crate::tenant::TenantSlug;

pub const DEFAULT_LINK_LIFETIME: TimeDelta = TimeDelta::days(7);
/// A link is a bearer credential for the tenant's console: it should not outlive a hand-over.
pub const MAX_LINK_LIFETIME: TimeDelta = TimeDelta::days(30);

/// A new link and its code (`<tenant id>_<secret>`), which only this answer carries.
pub struct IssuedLink {
    pub link: SetupLink,
    pub code: String,
}

pub struct SetupLinkAdmin {
    ports: ConsolePorts,
}

impl SetupLinkAdmin {
    pub fn new(ports: ConsolePorts) -> Self {
        Self { ports }
    }

    #[tracing::instrument(skip(self, ctx), fields(tenant = %slug))]
    pub async fn issue(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        expires_at: Option<DateTime<Utc>>,
    ) -> DomainResult<IssuedLink> {
        let tenant = ctx.tenant(self.ports.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "setup_link.create", "SetupLink");
        let result = self.mint(ctx, tenant.id, expires_at).await;
        self.ports
            .audit
            .audited_create(event, result, |issued| issued.link.id.to_string())
            .await
    }

    async fn mint(
        &self,
        ctx: &AdminContext,
        tenant: crate::tenant::TenantId,
        expires_at: Option<DateTime<Utc>>,
    ) -> DomainResult<IssuedLink> {
        let now = self.ports.clock.now();
        let expires_at = expires_at.unwrap_or(now + DEFAULT_LINK_LIFETIME);
        if expires_at <= now {
            return Err(DomainError::InvalidValue(
                "expiresAt must be in the future".into(),
            ));
        }
        if expires_at > now + MAX_LINK_LIFETIME {
            return Err(DomainError::InvalidValue(format!(
                "a setup link lives at most {} days",
                MAX_LINK_LIFETIME.num_days()
            )));
        }
        let code = TenantSecret::new(tenant, self.ports.hasher.random_secret()).encode();
        let link = SetupLink {
            id: Uuid::now_v7(),
            tenant_id: tenant,
            code_hash: self.ports.hasher.fingerprint(&code),
            created_by: ctx.actor().to_owned(),
            created: now,
            expires_at,
            redeemed_at: None,
            revoked_at: None,
        };
        self.ports.store.insert_link(&link).await?;
        Ok(IssuedLink { link, code })
    }

    /// Where `link` stands now, by this service's clock.
    pub fn status(&self, link: &SetupLink) -> LinkStatus {
        link.status(self.ports.clock.now())
    }

    pub async fn list(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
    ) -> DomainResult<Vec<SetupLink>> {
        let tenant = ctx.tenant(self.ports.tenants.as_ref(), slug).await?;
        self.ports.store.list_links(tenant.id).await
    }

    /// Revokes an unredeemed link so it can no longer open a session; a session it opened
    /// already is ended by signing out, not by this.
    #[tracing::instrument(skip(self, ctx), fields(tenant = %slug))]
    pub async fn revoke(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: &str,
    ) -> DomainResult<SetupLink> {
        let tenant = ctx.tenant(self.ports.tenants.as_ref(), slug).await?;
        let missing = || DomainError::NotFound(format!("no setup link with id '{id}'"));
        let id = Uuid::try_parse(id).map_err(|_| missing())?;
        let event = ctx
            .event(tenant.id, "setup_link.revoke", "SetupLink")
            .target(id);
        let result = self
            .ports
            .store
            .revoke_link(tenant.id, id, self.ports.clock.now())
            .await
            .and_then(|found| found.ok_or_else(missing));
        self.ports.audit.audited(event, 200, result).await
    }
}
