//! Request extractors: typed inputs parsed at the boundary, so a handler's signature says what
//! it reads and its body is the service call.

pub mod admin_body;
pub mod admin_caller;
pub mod bearer;
pub mod preconditions;
pub mod query;
pub mod scim_body;
pub mod scim_caller;
pub mod state;
pub mod view;
