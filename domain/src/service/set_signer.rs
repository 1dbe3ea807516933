//! Signs change events as Security Event Tokens (RFC 8417, RFC 9967) with the active key of
//! the key ring that signs access tokens, so receivers verify them with the keys published at
//! `/.well-known/jwks.json`. Used by RFC 8936 poll delivery, and meant for webhooks in the
//! SET format. Each call signs anew with the key active then: a re-sent SET never carries a
//! key that was retired meanwhile.

use std::sync::Arc;

use crate::error::DomainResult;
use crate::event::ChangeEvent;
use crate::event::set::{SetAddress, set_claims};
use crate::ports::{Clock, JwtCodec};
use crate::service::auth::key_ring::KeyRing;

pub struct SetSigner {
    keys: Arc<KeyRing>,
    codec: Arc<dyn JwtCodec>,
    clock: Arc<dyn Clock>,
}

impl SetSigner {
    pub fn new(keys: Arc<KeyRing>, codec: Arc<dyn JwtCodec>, clock: Arc<dyn Clock>) -> Self {
        Self { keys, codec, clock }
    }

    /// The compact SET reporting `event` to `to.audience`, issued by `to.issuer` (see
    /// [`crate::event::set::issuer`]) in the form `to.variant`.
    pub async fn sign(&self, event: &ChangeEvent, to: &SetAddress<'_>) -> DomainResult<String> {
        let key = self.keys.signing_key().await?;
        let claims = set_claims(event, to, self.clock.now().timestamp());
        self.codec.sign_set(&claims, &key)
    }
}
