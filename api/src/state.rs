//! What every handler shares: the domain services and the few HTTP-level settings.

use std::sync::Arc;

use scimgate_domain::ports::ReadinessProbe;

use scimgate_domain::service::admin::AdminService;
use scimgate_domain::service::authenticate::Authenticator;
use scimgate_domain::service::resources::ResourceService;

use crate::admin_key::AdminKey;

pub struct AppState {
    pub resources: ResourceService,
    pub admin: AdminService,
    pub authenticator: Authenticator,
    pub admin_key: Option<AdminKey>,
    /// Overrides scheme and host of generated URLs (`meta.location`, `Location`).
    pub public_url: Option<String>,
    pub max_body_bytes: usize,
    /// Most operations one bulk request may carry.
    pub max_bulk_operations: usize,
    /// What `/readyz` checks: the database, and Redis when configured.
    pub probes: Vec<Arc<dyn ReadinessProbe>>,
}

pub type SharedState = Arc<AppState>;
