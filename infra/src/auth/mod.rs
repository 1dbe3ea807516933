//! Implementations of the domain's `SecretHasher` port.

pub mod argon;

pub use argon::Argon2Hasher;
