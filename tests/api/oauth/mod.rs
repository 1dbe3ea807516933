//! scimgate as an OAuth 2.0 authorization server: the client credentials grant at
//! `/oauth/token` (driven by the `oauth2` crate like a real client), its JWTs on the SCIM
//! routes, discovery documents, key rotation, and the operator's client management.

mod admin;
pub mod bearer;
mod keys;
pub mod support;
mod token_endpoint;
