//! Change events (issue #15): every committed SCIM write leaves its events, in sequence order
//! per tenant, and the events API serves them to tokens holding `scim:events:read`, as
//! JSON and, through RFC 8936 poll delivery, as signed SETs.

mod feed;
mod poll;
pub(crate) mod poll_support;
mod poll_wait;
mod retention;
pub(crate) mod support;
mod writes;
