//! Implementations of the domain's `SecretHasher` and `JwtCodec` ports.

pub mod argon;
pub mod es256;
pub mod jwt;

pub use argon::Argon2Hasher;
pub use jwt::Es256JwtCodec;
