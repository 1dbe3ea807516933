//! Management use cases for the operator (every tenant) and tenant admins (their own tenant):
//! tenants, opaque tokens, OAuth clients, trusted issuers and the audit log. Every one takes
//! the [`AdminContext`](context::AdminContext) that says who acts, and every change is audited.

pub mod clients;
pub mod context;
pub mod credential_change;
pub mod lifecycle;
pub mod tenants;
pub mod tokens;
pub mod trusted_issuers;
