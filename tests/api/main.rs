//! End-to-end tests over HTTP against the real app: one binary, one fresh database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod auth;
mod bulk;
mod cursor_paging;
mod discovery;
mod errors;
mod filter_equivalence;
mod filtering;
mod groups;
mod health;
mod helpers;
mod metrics;
mod oauth;
mod patch;
mod policy;
mod projection;
mod rate_limit;
mod read_cache;
mod replicas;
mod search;
mod users;
