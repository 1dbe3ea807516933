//! Registering and managing webhook endpoints. The signing secret is shown once, at creation
//! and at each rotation. Endpoints a tenant admin registers must be https on public addresses
//! (the same guard as tenant-registered issuers); the operator may name any address.

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::oauth::trusted_issuer::Registrar;
use crate::ports::{Clock, EndpointGuard, SecretHasher, TenantStore, WebhookStore};
use crate::service::admin::context::AdminContext;
use crate::service::audit::Auditor;
use crate::tenant::{Tenant, TenantSlug};
use crate::webhook::delivery::{DeliveryAttempt, ReplayRange};
use crate::webhook::request::{WebhookChange, WebhookRequest, check_events, check_url};
use crate::webhook::{Webhook, WebhookStatus, new_secret};

/// Longest grace period a rotated-out secret keeps signing.
pub const MAX_ROTATION_GRACE: Duration = Duration::from_secs(7 * 24 * 3600);

/// An endpoint with its secret, the one time the secret is shown.
#[derive(Debug, Clone)]
pub struct WebhookWithSecret {
    pub webhook: Webhook,
    pub secret: String,
}

pub struct WebhookAdmin {
    tenants: Arc<dyn TenantStore>,
    store: Arc<dyn WebhookStore>,
    guard: Arc<dyn EndpointGuard>,
    hasher: Arc<dyn SecretHasher>,
    clock: Arc<dyn Clock>,
    audit: Arc<Auditor>,
}

impl WebhookAdmin {
    pub fn new(
        tenants: Arc<dyn TenantStore>,
        store: Arc<dyn WebhookStore>,
        guard: Arc<dyn EndpointGuard>,
        hasher: Arc<dyn SecretHasher>,
        clock: Arc<dyn Clock>,
        audit: Arc<Auditor>,
    ) -> Self {
        Self {
            tenants,
            store,
            guard,
            hasher,
            clock,
            audit,
        }
    }

    pub async fn create(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        request: WebhookRequest,
    ) -> DomainResult<WebhookWithSecret> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "webhook.create", "Webhook");
        let result = self.insert(ctx, &tenant, request).await;
        self.audit
            .audited_create(event, result, |created| created.webhook.id.to_string())
            .await
    }

    async fn insert(
        &self,
        ctx: &AdminContext,
        tenant: &Tenant,
        request: WebhookRequest,
    ) -> DomainResult<WebhookWithSecret> {
        let registrar = registrar(ctx);
        let url = self.checked_url(&request.url, registrar).await?;
        let webhook = Webhook {
            id: Uuid::now_v7(),
            tenant_id: tenant.id,
            url,
            events: check_events(request.events.as_deref().unwrap_or_default())?,
            format: request.format.unwrap_or_default(),
            variant: request.variant.unwrap_or_default(),
            status: WebhookStatus::Active,
            disabled_reason: None,
            registered_by: registrar,
            previous_secret_until: None,
            created: self.clock.now(),
        };
        let secret = new_secret(&self.hasher.random_secret());
        self.store.insert(&webhook, &secret).await?;
        Ok(WebhookWithSecret { webhook, secret })
    }

    pub async fn list(&self, ctx: &AdminContext, slug: &TenantSlug) -> DomainResult<Vec<Webhook>> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.store.list(tenant.id).await
    }

    pub async fn get(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
    ) -> DomainResult<Webhook> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.find(&tenant, id).await
    }

    pub async fn update(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
        change: WebhookChange,
    ) -> DomainResult<Webhook> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "webhook.update", "Webhook").target(id);
        let result = self.change(ctx, &tenant, id, change).await;
        self.audit.audited(event, 200, result).await
    }

    async fn change(
        &self,
        ctx: &AdminContext,
        tenant: &Tenant,
        id: Uuid,
        change: WebhookChange,
    ) -> DomainResult<Webhook> {
        let mut webhook = self.find(tenant, id).await?;
        if let Some(url) = change.url {
            // Whoever changes the address answers for it, as if registering it anew.
            webhook.registered_by = registrar(ctx);
            webhook.url = self.checked_url(&url, webhook.registered_by).await?;
        }
        if let Some(events) = change.events {
            webhook.events = check_events(&events)?;
        }
        if let Some(format) = change.format {
            webhook.format = format;
        }
        if let Some(variant) = change.variant {
            webhook.variant = variant;
        }
        match change.status {
            Some(WebhookStatus::Disabled) => {
                return Err(DomainError::InvalidValue(
                    "status: use paused to stop deliveries; disabled is set by a 410 answer".into(),
                ));
            }
            Some(status) => {
                webhook.status = status;
                webhook.disabled_reason = None;
            }
            None => {}
        }
        if !self.store.update(&webhook).await? {
            return Err(not_found(id));
        }
        Ok(webhook)
    }

    pub async fn delete(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
    ) -> DomainResult<Webhook> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "webhook.delete", "Webhook").target(id);
        let result = async {
            let webhook = self.find(&tenant, id).await?;
            if !self.store.delete(tenant.id, id).await? {
                return Err(not_found(id));
            }
            Ok(webhook)
        }
        .await;
        self.audit.audited(event, 200, result).await
    }

    /// A new secret; the previous one keeps signing beside it for `grace`, so receivers can
    /// switch without losing a delivery.
    pub async fn rotate_secret(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
        grace: Duration,
    ) -> DomainResult<WebhookWithSecret> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx
            .event(tenant.id, "webhook.rotate_secret", "Webhook")
            .target(id);
        let result = async {
            if grace > MAX_ROTATION_GRACE {
                return Err(DomainError::InvalidValue(format!(
                    "graceSeconds must be at most {}",
                    MAX_ROTATION_GRACE.as_secs()
                )));
            }
            let mut webhook = self.find(&tenant, id).await?;
            let secret = new_secret(&self.hasher.random_secret());
            let grace = chrono::Duration::from_std(grace).map_err(DomainError::unavailable)?;
            let until = self.clock.now() + grace;
            if !self
                .store
                .rotate_secret(tenant.id, id, &secret, until)
                .await?
            {
                return Err(not_found(id));
            }
            webhook.previous_secret_until = Some(until);
            Ok(WebhookWithSecret { webhook, secret })
        }
        .await;
        self.audit.audited(event, 200, result).await
    }

    pub async fn deliveries(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
        limit: u64,
    ) -> DomainResult<Vec<DeliveryAttempt>> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        self.find(&tenant, id).await?;
        self.store
            .attempts(tenant.id, id, limit.clamp(1, 1000))
            .await
    }

    /// Queues past events again (one, or a time range), due now; returns how many.
    pub async fn replay(
        &self,
        ctx: &AdminContext,
        slug: &TenantSlug,
        id: Uuid,
        range: ReplayRange,
    ) -> DomainResult<u64> {
        let tenant = ctx.tenant(self.tenants.as_ref(), slug).await?;
        let event = ctx.event(tenant.id, "webhook.replay", "Webhook").target(id);
        let result = async {
            if let ReplayRange::Time { since, until } = range
                && since >= until
            {
                return Err(DomainError::InvalidValue(
                    "since must be before until".into(),
                ));
            }
            let webhook = self.find(&tenant, id).await?;
            self.store.replay(&webhook, range, self.clock.now()).await
        }
        .await;
        self.audit.audited(event, 200, result).await
    }

    async fn find(&self, tenant: &Tenant, id: Uuid) -> DomainResult<Webhook> {
        self.store
            .find(tenant.id, id)
            .await?
            .ok_or_else(|| not_found(id))
    }

    async fn checked_url(&self, raw: &str, registrar: Registrar) -> DomainResult<String> {
        let url = check_url(raw, registrar)?;
        if registrar == Registrar::Tenant {
            self.guard.check_public("url", &url).await?;
        }
        Ok(url)
    }
}

fn registrar(ctx: &AdminContext) -> Registrar {
    match ctx.own_tenant() {
        Some(_) => Registrar::Tenant,
        None => Registrar::Operator,
    }
}

fn not_found(id: Uuid) -> DomainError {
    DomainError::NotFound(format!("webhook '{id}' not found"))
}
