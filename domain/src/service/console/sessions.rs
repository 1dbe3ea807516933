//! Console sessions: a setup link's code is redeemed once for a session whose secret travels
//! in a cookie (`<tenant id>_<secret>`); only its keyed hash is stored, so any replica finds
//! it. Redemption is rate-limited per client address. Every state-changing form carries a
//! CSRF token derived from the session's cookie with the deployment's fingerprint key: bound
//! to the session, nothing more to store.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use uuid::Uuid;

use crate::authz::principal::Principal;
use crate::console::{ConsoleSession, TenantSecret};
use crate::constant_time;
use crate::error::{DomainError, DomainResult};
use crate::ports::{NewSession, Quota, RateDecision, RateLimiter};
use crate::scope::Scope;
use crate::service::admin::context::AdminContext;
use crate::service::audit::AuditEvent;
use crate::service::console::ConsolePorts;
use crate::tenant::{Tenant, TenantSlug};

/// How long an expired setup link stays listed before the purge forgets it.
pub const LINK_HISTORY: TimeDelta = TimeDelta::days(90);

/// How a session is opened: its lifetime and how fast one client may try link codes.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub lifetime: Duration,
    pub redeem_quota: Quota,
}

/// A session just opened, with the cookie value that only this answer carries.
pub struct OpenedSession {
    pub session: ConsoleSession,
    pub tenant: Tenant,
    pub cookie: String,
}

/// A live session and the tenant it belongs to.
pub struct ActiveSession {
    pub session: ConsoleSession,
    pub tenant: Tenant,
    cookie: String,
}

pub struct ConsoleSessions {
    pub(super) ports: ConsolePorts,
    limiter: Arc<dyn RateLimiter>,
    pub(super) rules: SessionRules,
}

fn refused_link() -> DomainError {
    DomainError::NotFound(
        "this setup link cannot be used: it was used already, revoked, or it expired. Ask for a new link."
            .into(),
    )
}

fn signed_out() -> DomainError {
    DomainError::Unauthenticated(
        "no console session: open a setup link to sign in, or ask for a new one".into(),
    )
}

impl ConsoleSessions {
    pub fn new(ports: ConsolePorts, limiter: Arc<dyn RateLimiter>, rules: SessionRules) -> Self {
        Self {
            ports,
            limiter,
            rules,
        }
    }

    /// Now, by the clock sessions expire by.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.ports.clock.now()
    }

    /// Spends one sign-in attempt of `client` (its address). A limiter that cannot answer
    /// lets the attempt through, as for SCIM requests: codes are unguessable anyway.
    /// `door` names the bucket (`redeem`, `operator`), so one door's attempts do not spend
    /// the other's.
    pub(super) async fn admit(&self, door: &str, client: &str) -> DomainResult<()> {
        let key = format!("ratelimit:{{console}}:{door}:{client}");
        match self.limiter.take(&key, self.rules.redeem_quota).await {
            Ok(RateDecision::Allowed) => Ok(()),
            Ok(RateDecision::Limited { retry_after }) => Err(DomainError::RateLimited {
                retry_after: retry_after.max(Duration::from_secs(1)),
            }),
            Err(err) => {
                tracing::warn!(error = %err, "rate limiter unavailable; redemption admitted");
                Ok(())
            }
        }
    }

    /// Redeems a setup link's code for a new session. Every refusal looks the same (404), so
    /// nothing tells a used link from a revoked or made-up one.
    #[tracing::instrument(skip_all)]
    pub async fn redeem(&self, code: &str, client: &str) -> DomainResult<OpenedSession> {
        self.admit("redeem", client).await?;
        let presented = TenantSecret::parse(code).map_err(|_| refused_link())?;
        let tenant = self
            .ports
            .tenants
            .find(presented.tenant_id)
            .await?
            .ok_or_else(refused_link)?;
        let now = self.ports.clock.now();
        let lifetime = TimeDelta::from_std(self.rules.lifetime).unwrap_or(TimeDelta::hours(8));
        let cookie = TenantSecret::new(tenant.id, self.ports.hasher.random_secret()).encode();
        let new = NewSession {
            id: Uuid::now_v7(),
            secret_hash: self.ports.hasher.fingerprint(&cookie),
            created: now,
            expires_at: now + lifetime,
        };
        let redeemed = self
            .ports
            .store
            .redeem_link(tenant.id, &self.ports.hasher.fingerprint(code), new)
            .await?;
        let Some((link, session)) = redeemed else {
            let event = self.event(&tenant, "setup-link", "console.session.start");
            self.ports.audit.record_status(event, 404, None).await;
            return Err(refused_link());
        };
        let actor = format!("setup-link:{}", link.id);
        let event = self
            .event(&tenant, &actor, "console.session.start")
            .target(session.id);
        self.ports.audit.record_status(event, 201, None).await;
        Ok(OpenedSession {
            session,
            tenant,
            cookie,
        })
    }

    fn event<'a>(&self, tenant: &Tenant, actor: &'a str, action: &str) -> AuditEvent<'a> {
        AuditEvent {
            tenant: tenant.id,
            actor,
            request_id: None,
            action: action.to_owned(),
            target_type: "ConsoleSession",
            target_id: None,
        }
    }

    /// The live session `cookie` names, for a page of tenant `slug`. A session of another
    /// tenant gets 404, as an unknown tenant does; no session, an ended or an expired one 401.
    pub async fn authenticate(
        &self,
        slug: &TenantSlug,
        cookie: Option<&str>,
    ) -> DomainResult<ActiveSession> {
        let missing = || DomainError::NotFound(format!("no tenant '{slug}'"));
        let tenant = self
            .ports
            .tenants
            .find_by_slug(slug)
            .await?
            .ok_or_else(missing)?;
        let cookie = cookie.ok_or_else(signed_out)?;
        let presented = TenantSecret::parse(cookie).map_err(|_| signed_out())?;
        if presented.tenant_id != tenant.id {
            return Err(missing());
        }
        let session = self
            .ports
            .store
            .find_session(tenant.id, &self.ports.hasher.fingerprint(cookie))
            .await?
            .filter(|s| s.is_live(self.ports.clock.now()))
            .ok_or_else(signed_out)?;
        Ok(ActiveSession {
            session,
            tenant,
            cookie: cookie.to_owned(),
        })
    }

    /// The CSRF token of the session: every state-changing form must carry it.
    pub fn csrf_token(&self, active: &ActiveSession) -> String {
        self.csrf_of(&active.cookie)
    }

    /// The CSRF token bound to a session cookie (a tenant's or the operator's).
    pub(super) fn csrf_of(&self, cookie: &str) -> String {
        self.ports
            .hasher
            .fingerprint(&format!("console-csrf:{cookie}"))
    }

    /// 403 unless `presented` is the session's CSRF token.
    pub fn check_csrf(&self, active: &ActiveSession, presented: Option<&str>) -> DomainResult<()> {
        self.check_csrf_of(&active.cookie, presented)
    }

    pub(super) fn check_csrf_of(&self, cookie: &str, presented: Option<&str>) -> DomainResult<()> {
        let expected = self.csrf_of(cookie);
        match presented {
            Some(token) if constant_time::eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
            _ => Err(DomainError::Forbidden(
                "the form is stale or was not sent by the console; reload the page and try again"
                    .into(),
            )),
        }
    }

    /// The session as a tenant admin: what it does goes through the admin use cases, audited
    /// with the session's actor.
    pub fn admin_context(
        &self,
        active: &ActiveSession,
        request_id: Option<String>,
    ) -> DomainResult<AdminContext> {
        AdminContext::tenant_admin(self.principal(active), request_id)
    }

    /// The session as a reader of its tenant's resources (counts on the overview).
    pub fn principal(&self, active: &ActiveSession) -> Principal {
        Principal {
            tenant_id: active.tenant.id,
            tenant_slug: active.tenant.slug.clone(),
            subject: active.session.actor(),
            scopes: vec![Scope::Admin, Scope::Read],
            claims: Default::default(),
            policy: None,
        }
    }

    /// Forgets sessions a day after they expired or ended, and links `LINK_HISTORY` after
    /// they expired (the list shows them as expired until then).
    pub async fn purge(&self) -> DomainResult<u64> {
        let now = self.ports.clock.now();
        self.ports
            .store
            .purge(now - TimeDelta::days(1), now - LINK_HISTORY)
            .await
    }

    /// Ends the session (sign-out); its cookie opens nothing afterwards.
    pub async fn end(&self, active: &ActiveSession) -> DomainResult<()> {
        let actor = active.session.actor();
        let event = self
            .event(&active.tenant, &actor, "console.session.end")
            .target(active.session.id);
        let result = self
            .ports
            .store
            .end_session(active.tenant.id, active.session.id, self.ports.clock.now())
            .await;
        self.ports.audit.audited(event, 200, result).await
    }
}
