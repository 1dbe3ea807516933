//! Use cases, each taking the caller's context explicitly, grouped by who calls them:
//! `scim/` the SCIM protocol on Users and Groups, `auth/` turning a bearer token into a
//! principal (and issuing scimgate's own access tokens), `admin/` the operator's and tenant
//! admins' management of tenants and their credentials. `audit` records what both write sides
//! do; `events` serves the change events writes leave, `event_poll` delivers them to RFC 8936
//! poll receivers as SETs `set_signer` signs; `rate_limit` admits requests before any of them runs; `request_log` keeps what
//! each tenant's SCIM requests got, for the console.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod console;
pub mod event_poll;
pub mod events;
pub mod rate_limit;
pub mod request_log;
pub mod scim;
pub mod set_signer;
pub mod webhooks;
