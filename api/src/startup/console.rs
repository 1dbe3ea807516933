//! Wiring of the web console: its store, the setup-link admin and the session use cases.

use std::sync::Arc;

use scimgate_domain::ports::RateLimiter;
use scimgate_domain::service::console::ConsolePorts;
use scimgate_domain::service::console::links::SetupLinkAdmin;
use scimgate_domain::service::console::sessions::ConsoleSessions;
use scimgate_infra::db::SqlConsoleStore;

use super::Shared;
use crate::config::Settings;

pub(super) struct Console {
    pub links: SetupLinkAdmin,
    pub sessions: ConsoleSessions,
}

pub(super) fn console(
    settings: &Settings,
    shared: &Shared,
    limiter: Arc<dyn RateLimiter>,
) -> Console {
    let ports = ConsolePorts {
        tenants: shared.tenants.clone(),
        store: Arc::new(SqlConsoleStore::new(shared.conn.clone())),
        hasher: shared.hasher.clone(),
        clock: shared.clock.clone(),
        audit: shared.audit.clone(),
    };
    Console {
        links: SetupLinkAdmin::new(ports.clone()),
        sessions: ConsoleSessions::new(ports, limiter, settings.console.session_rules()),
    }
}
