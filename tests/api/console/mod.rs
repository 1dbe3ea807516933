//! The web console: setup links (admin API under both mounts, CLI), redemption into a
//! database session, the pages a session may see, CSRF, cross-tenant refusals, headers.

mod access;
mod directory;
mod links;
mod operator;
mod pages;
mod purge;
mod requests;
mod rotation;
mod sessions;
mod support;
mod webhooks;
