//! End-to-end tests over HTTP against the real app: one binary, one fresh database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests measure real time (expiry, TTLs) as a client would.
#![allow(clippy::disallowed_methods)]

mod admin;
mod admin_names;
mod admin_support;
mod audit_log;
mod auth;
mod bulk;
mod bulk_batch;
mod bulk_scope;
mod cold_start;
mod combined_creates;
mod console;
mod cursor_paging;
mod discovery;
mod errors;
pub(crate) mod events;
mod filter_equivalence;
mod filter_rules;
mod filtering;
mod forwarded;
mod groups;
mod health;
mod helpers;
mod manager_reference;
mod me;
mod member_visibility;
mod metrics;
mod noop_patch;
mod nul_values;
mod oauth;
mod openapi;
mod partner_story;
mod patch;
mod patch_path_filters;
mod policy;
mod policy_guards;
mod projection;
mod query_plans;
mod query_plans_trigram;
mod rate_limit;
mod read_cache;
mod read_cache_scope;
pub(crate) mod replicas;
mod request_head;
mod request_head_ceiling;
mod request_head_keep_alive;
mod revocation_race;
mod search;
mod substring_search;
mod tenant_admin;
mod token_policy;
mod totals;
mod trusted;
mod users;
mod webhooks;
