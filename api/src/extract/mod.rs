//! Request extractors: typed inputs parsed at the boundary.

pub mod admin_caller;
pub mod bearer;
pub mod query;
pub mod scim_caller;
