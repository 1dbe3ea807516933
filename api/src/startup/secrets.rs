//! Secrets at rest: the sealer built from `SCIMGATE_SECRETS_KEY` (and the previous keys that
//! still open older values), and the start-up pass that seals what is still plain or sealed
//! with a previous key, so turning sealing on or replacing the key needs no other step.

use std::sync::Arc;

use scimgate_infra::db::{SqlSigningKeyStore, SqlTrustedIssuerStore, SqlWebhookStore};
use scimgate_infra::sealing::Sealer;
use secrecy::ExposeSecret;

use super::{Shared, StartupError};
use crate::config::Settings;

pub(super) fn sealer(settings: &Settings) -> Result<Arc<Sealer>, StartupError> {
    let current = settings.secrets_key.as_ref().map(|key| key.expose_secret());
    let previous = settings
        .secrets_key_previous
        .as_ref()
        .map_or("", |keys| keys.expose_secret());
    let sealer = Sealer::new(current, previous)?;
    if !sealer.is_sealing() {
        tracing::warn!(
            "SCIMGATE_SECRETS_KEY is not set: signing keys and introspection secrets are stored unsealed"
        );
    }
    Ok(Arc::new(sealer))
}

/// Seals every stored secret that needs it. Replicas starting together may both do it; each
/// writes a sealing of the same value, so either result is right.
pub(super) async fn reseal(shared: &Shared) -> Result<(), StartupError> {
    if !shared.sealer.is_sealing() {
        return Ok(());
    }
    let keys = SqlSigningKeyStore::new(shared.conn.clone(), shared.sealer.clone())
        .reseal()
        .await
        .map_err(StartupError::Reseal)?;
    let issuers = SqlTrustedIssuerStore::new(shared.conn.clone(), shared.sealer.clone())
        .reseal()
        .await
        .map_err(StartupError::Reseal)?;
    let webhooks = SqlWebhookStore::new(shared.conn.clone(), shared.sealer.clone())
        .reseal()
        .await
        .map_err(StartupError::Reseal)?;
    if keys + issuers + webhooks > 0 {
        tracing::info!(
            signing_keys = keys,
            introspection_secrets = issuers,
            webhook_secrets = webhooks,
            "sealed stored secrets with the current secrets key"
        );
    }
    Ok(())
}
