//! scimgate's domain: SCIM 2.0 schemas and resources, tenants, tokens, scopes and the use
//! cases that combine them. No HTTP, SQL or cache client here: only the ports they implement.

pub mod admin_name;
pub mod audit;
pub mod authz;
pub mod console;
pub mod constant_time;
pub mod context;
pub mod error;
pub mod event;
pub mod filter;
pub mod guard_rails;
pub mod lifecycle;
pub mod oauth;
pub mod patch;
pub mod ports;
pub mod query;
pub mod request_log;
pub mod resource;
pub mod schema;
pub mod scope;
pub mod service;
pub mod tenant;
pub mod token;
pub mod webhook;
