//! Request extractors: typed inputs parsed at the boundary.

pub mod bearer;
pub mod query;
pub mod scim_caller;
