//! Webhooks (issue #15): endpoints registered through the admin API receive every committed
//! change, signed per Standard Webhooks 1.0, at least once, with retries, from any replica.

mod admin;
mod delivery;
pub(crate) mod receiver;
mod sealed;
mod set_format;
pub(crate) mod support;
