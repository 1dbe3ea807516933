//! Wiring of webhooks: the endpoints' store, the delivery queue, the signing HTTP sender, and
//! the admin and dispatcher services on top.

use std::sync::Arc;

use scimgate_domain::ports::TenantStore;
use scimgate_domain::service::set_signer::SetSigner;
use scimgate_domain::service::webhooks::admin::WebhookAdmin;
use scimgate_domain::service::webhooks::dispatcher::{Dispatcher, SetDelivery};
use scimgate_infra::auth::public_network::PublicNetwork;
use scimgate_infra::db::{SqlDeliveryQueue, SqlWebhookStore};
use scimgate_infra::webhooks::sender::HttpWebhookSender;

use super::{Shared, StartupError};
use crate::config::Settings;

pub(super) struct Webhooks {
    pub admin: WebhookAdmin,
    pub dispatcher: Arc<Dispatcher>,
}

pub(super) fn webhooks(
    settings: &Settings,
    shared: &Shared,
    signer: Arc<SetSigner>,
) -> Result<Webhooks, StartupError> {
    // The same networks tenant admins may reach as for their trusted issuers.
    let allowed = PublicNetwork::parse_allowed(&settings.tenant_issuer_allowed_networks)
        .map_err(StartupError::AllowedNetworks)?;
    let network = PublicNetwork::new(&allowed);
    let tenants: Arc<dyn TenantStore> = shared.tenants.clone();
    let store = Arc::new(SqlWebhookStore::new(
        shared.conn.clone(),
        shared.sealer.clone(),
    ));
    let queue = Arc::new(SqlDeliveryQueue::new(
        shared.conn.clone(),
        shared.sealer.clone(),
    ));
    let sender =
        Arc::new(HttpWebhookSender::new(network.clone()).map_err(StartupError::HttpClient)?);
    Ok(Webhooks {
        admin: WebhookAdmin::new(
            tenants,
            store,
            Arc::new(network),
            shared.hasher.clone(),
            shared.clock.clone(),
            shared.audit.clone(),
        ),
        dispatcher: Arc::new(Dispatcher::new(
            queue,
            sender,
            SetDelivery {
                signer,
                // SETs name their issuer by origin; without a public URL, the listen address.
                origin: settings
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", settings.listen)),
            },
            shared.clock.clone(),
        )),
    })
}
