//! Use cases, each taking the caller's context explicitly.

pub mod admin;
pub mod authenticate;
pub mod bulk;
pub mod cursor;
mod cursor_pages;
pub mod list_query;
pub mod patch_resource;
pub mod resources;
pub mod search_all;
pub mod search_request;
