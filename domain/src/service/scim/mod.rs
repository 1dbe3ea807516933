//! The SCIM protocol's use cases on Users and Groups (RFC 7644 §3): create, read, list and
//! search, replace, patch, delete, Bulk and `/Me`, with the read cache that fronts them.

pub mod audited_writes;
mod authorize;
pub mod bulk;
mod change_events;
mod cursor_pages;
mod guard_checks;
mod invalidating_store;
pub mod me;
pub mod patch_resource;
pub mod prepared_create;
pub mod read_cache;
pub mod resources;
pub mod restore;
mod result_rows;
pub mod search_all;
mod views;
mod visible_reads;
pub mod write_checks;

#[cfg(test)]
mod tests;
