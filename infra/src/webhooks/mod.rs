//! Posting webhooks: Standard Webhooks 1.0 signatures and the HTTP client that sends them.

pub mod sender;
pub mod signature;
