//! scimgate's HTTP layer: SCIM 2.0 routes, the admin API, configuration and start-up.

pub mod admin_key;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod event_retention;
pub mod event_sequencer;
pub mod extract;
pub mod forwarded;
pub mod head_guard;
pub mod head_limits;
pub mod nul_free;
pub mod openapi;
pub mod request_log;
pub mod routes;
pub mod scim_json;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod webhook_dispatch;
