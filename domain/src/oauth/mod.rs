//! scimgate as an OAuth 2.0 authorization server (RFC 6749 client credentials): per-tenant
//! clients, the ES256 keys that sign access tokens, and the claims those tokens carry.

pub mod claims;
pub mod client;
pub mod error;
pub mod signing_key;
