//! From a bearer token to a [`Principal`](crate::authz::principal::Principal): scimgate's opaque
//! tokens, the JWTs its own token endpoint issues (signed with the key ring), and tokens of a
//! tenant's own authorization server.

pub mod authenticate;
pub mod jwt_bearer;
pub mod key_ring;
pub mod token_issuer;
pub mod trusted_bearer;
