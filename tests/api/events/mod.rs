//! Change events (issue #15): every committed SCIM write leaves its events, in sequence order
//! per tenant, and the events API serves them to tokens holding `scim:events:read`.

mod feed;
mod retention;
pub(crate) mod support;
mod writes;
