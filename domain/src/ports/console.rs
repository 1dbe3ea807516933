//! Storage of the web console's setup links and sessions (`crate::console`). Every lookup
//! names the tenant; redemption is one atomic step, so a link opens at most one session
//! however many replicas race for it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::console::{ConsoleSession, SetupLink};
use crate::error::DomainResult;
use crate::tenant::TenantId;

/// A session to open when a link is redeemed; the store fills in the tenant and the link.
pub struct NewSession {
    pub id: Uuid,
    pub secret_hash: String,
    pub created: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[async_trait]
pub trait ConsoleStore: Send + Sync {
    async fn insert_link(&self, link: &SetupLink) -> DomainResult<()>;
    /// The tenant's links, newest first.
    async fn list_links(&self, tenant: TenantId) -> DomainResult<Vec<SetupLink>>;
    /// Marks the link revoked (the first revocation's time is kept); `None` when the tenant
    /// has no such link.
    async fn revoke_link(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> DomainResult<Option<SetupLink>>;
    /// In one transaction: marks the tenant's link with this code hash redeemed at
    /// `session.created` if it is neither redeemed, revoked nor expired then, and stores the
    /// session it opens. `None` (and nothing stored) when no such usable link exists.
    async fn redeem_link(
        &self,
        tenant: TenantId,
        code_hash: &str,
        session: NewSession,
    ) -> DomainResult<Option<(SetupLink, ConsoleSession)>>;
    /// Stores a session opened without a link (an operator's sign-in).
    async fn insert_session(&self, session: &ConsoleSession) -> DomainResult<()>;
    async fn find_session(
        &self,
        tenant: TenantId,
        secret_hash: &str,
    ) -> DomainResult<Option<ConsoleSession>>;
    /// Deletes sessions that expired or ended before `sessions_before` and links that expired
    /// before `links_before` (of every tenant); how many rows went.
    async fn purge(
        &self,
        sessions_before: DateTime<Utc>,
        links_before: DateTime<Utc>,
    ) -> DomainResult<u64>;
    /// Ends the session (the first end's time is kept).
    async fn end_session(&self, tenant: TenantId, id: Uuid, at: DateTime<Utc>) -> DomainResult<()>;
}
