//! Implementations of the domain's `SecretHasher` and `JwtCodec` ports, and of the ports that
//! check tokens of tenants' own authorization servers (JWKS, introspection).

pub mod argon;
pub mod es256;
pub mod external_jwt;
pub mod introspection;
pub mod jwks;
pub mod jwt;
pub mod outbound;
pub mod public_network;
pub mod verify_gate;

pub use argon::Argon2Hasher;
pub use jwt::Es256JwtCodec;
