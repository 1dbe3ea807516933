//! Authorization as a value: a [`Policy`] attached to an OAuth client turns its principal into
//! [`Grant`]s (row filter, readable and writable attributes) per resource type, and the
//! resource service applies them in one place (`apply`).

pub mod apply;
pub mod policy;
pub mod principal;
pub mod visible_rows;

pub use apply::Grant;
pub use policy::Policy;
pub use visible_rows::VisibleRows;
