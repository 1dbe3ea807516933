//! The operator key of the admin API, compared in constant time.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub struct AdminKey {
    digest: [u8; 32],
}

impl AdminKey {
    pub fn new(key: &SecretString) -> Self {
        Self {
            digest: Sha256::digest(key.expose_secret().as_bytes()).into(),
        }
    }

    /// Hashing both sides first makes the comparison independent of the presented length.
    pub fn matches(&self, presented: &str) -> bool {
        let presented: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        self.digest.ct_eq(&presented).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_key_matches() {
        let key = AdminKey::new(&SecretString::from("operator-key"));
        assert!(key.matches("operator-key"));
        assert!(!key.matches("operator-ke"));
        assert!(!key.matches(""));
    }
}
