//! scimgate as an OAuth 2.0 authorization server (RFC 6749 client credentials): per-tenant
//! clients, the ES256 keys that sign access tokens, and the claims those tokens carry; and
//! the tenants' own authorization servers it trusts instead (`trusted_issuer`).

pub mod claims;
pub mod client;
pub mod error;
pub mod external_claims;
pub mod signing_key;
pub mod trusted_issuer;
