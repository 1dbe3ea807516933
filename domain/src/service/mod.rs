//! Use cases, each taking the caller's context explicitly.

pub mod admin;
pub mod admin_context;
mod admin_tokens;
pub mod audit;
pub mod audited_writes;
pub mod authenticate;
mod authorize;
pub mod bulk;
pub mod credential_change;
pub mod cursor;
mod cursor_pages;
mod invalidating_store;
pub mod jwt_bearer;
pub mod key_ring;
pub mod list_query;
pub mod me;
pub mod oauth_clients;
pub mod patch_resource;
pub mod rate_limit;
pub mod read_cache;
pub mod resources;
pub mod search_all;
pub mod search_request;
pub mod token_issuer;
pub mod trusted_bearer;
pub mod trusted_issuers;
pub mod write_checks;
