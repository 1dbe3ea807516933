//! Webhooks: `admin` registers and manages a tenant's endpoints (operator and tenant admin
//! alike); `dispatcher` turns queued deliveries into signed POSTs and decides what follows
//! each attempt.

pub mod admin;
pub mod dispatcher;
