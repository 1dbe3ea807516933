//! The web console's use cases: setup links (made by the operator or a tenant admin, audited
//! like every admin action) and the browser sessions they open (redeemed once, rate-limited,
//! expiring, ended on sign-out). A session acts as its tenant's admin, under its own actor.

pub mod links;
pub mod operator;
pub mod sessions;

use std::sync::Arc;

use crate::ports::{Clock, ConsoleStore, SecretHasher, TenantStore};
use crate::service::audit::Auditor;

/// What both console services are built on.
#[derive(Clone)]
pub struct ConsolePorts {
    pub tenants: Arc<dyn TenantStore>,
    pub store: Arc<dyn ConsoleStore>,
    pub hasher: Arc<dyn SecretHasher>,
    pub clock: Arc<dyn Clock>,
    pub audit: Arc<Auditor>,
}
