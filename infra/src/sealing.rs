//! Secrets at rest: the signing keys' private halves and trusted issuers' introspection client
//! secrets are sealed with AES-256-GCM under the deployment's secrets key before they reach
//! the database, so a database dump or backup alone yields none of them.
//!
//! A sealed value reads `sg1:<key id>:<base64(nonce | ciphertext | tag)>`; the key id (a hash
//! of the key) says which key opens it, so the key can be replaced while older values are
//! still read with the previous one. Each value is bound to its row (`aad`), so sealed values
//! cannot be swapped between rows. Without a secrets key values are stored as they are (the
//! zero-configuration default), and a value without the prefix is read as plain text, which
//! lets a deployment turn sealing on later: `reseal` seals what is still plain.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

const PREFIX: &str = "sg1:";

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("a secrets key must be 32 bytes in base64 ({0})")]
    BadKey(String),
    #[error("a stored secret is sealed with key {0}, which this deployment does not have")]
    UnknownKey(String),
    #[error("a stored secret does not open: damaged, or moved from another row")]
    Damaged,
    #[error("cannot seal a secret: {0}")]
    Crypto(String),
}

struct SealKey {
    id: String,
    key: LessSafeKey,
}

impl SealKey {
    fn parse(encoded: &str) -> Result<Self, SealError> {
        let bytes = STANDARD
            .decode(encoded.trim())
            .map_err(|err| SealError::BadKey(err.to_string()))?;
        if bytes.len() != 32 {
            return Err(SealError::BadKey(format!("{} bytes", bytes.len())));
        }
        let id = hex::encode(&Sha256::digest(&bytes)[..4]);
        let unbound = UnboundKey::new(&AES_256_GCM, &bytes)
            .map_err(|err| SealError::BadKey(err.to_string()))?;
        Ok(Self {
            id,
            key: LessSafeKey::new(unbound),
        })
    }
}

/// Seals with the current key; opens with it or with any previous one.
pub struct Sealer {
    current: Option<SealKey>,
    previous: Vec<SealKey>,
    random: SystemRandom,
}

impl Sealer {
    /// No key: values are stored as they are.
    pub fn plain() -> Self {
        Self {
            current: None,
            previous: Vec::new(),
            random: SystemRandom::new(),
        }
    }

    /// `current` seals; `previous` (comma-separated) only open what they sealed before.
    pub fn new(current: Option<&str>, previous: &str) -> Result<Self, SealError> {
        Ok(Self {
            current: current
                .filter(|key| !key.trim().is_empty())
                .map(SealKey::parse)
                .transpose()?,
            previous: previous
                .split(',')
                .filter(|key| !key.trim().is_empty())
                .map(SealKey::parse)
                .collect::<Result<_, _>>()?,
            random: SystemRandom::new(),
        })
    }

    pub fn is_sealing(&self) -> bool {
        self.current.is_some()
    }

    /// The value to store for `plain`, bound to `aad` (which names the row).
    pub fn seal(&self, plain: &str, aad: &str) -> Result<String, SealError> {
        let Some(key) = &self.current else {
            return Ok(plain.to_owned());
        };
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| SealError::Crypto("no randomness".into()))?;
        let mut data = plain.as_bytes().to_vec();
        key.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad.as_bytes()),
                &mut data,
            )
            .map_err(|_| SealError::Crypto("AES-GCM failed".into()))?;
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&data);
        Ok(format!("{PREFIX}{}:{}", key.id, STANDARD.encode(sealed)))
    }

    /// The plain value of what `seal` stored (or of a value stored before sealing).
    pub fn open(&self, stored: &str, aad: &str) -> Result<String, SealError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        let (id, body) = rest.split_once(':').ok_or(SealError::Damaged)?;
        let key = self
            .current
            .iter()
            .chain(&self.previous)
            .find(|key| key.id == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_owned()))?;
        let mut bytes = STANDARD.decode(body).map_err(|_| SealError::Damaged)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::Damaged);
        }
        let mut data = bytes.split_off(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(&bytes).map_err(|_| SealError::Damaged)?;
        let plain = key
            .key
            .open_in_place(nonce, Aad::from(aad.as_bytes()), &mut data)
            .map_err(|_| SealError::Damaged)?;
        String::from_utf8(plain.to_vec()).map_err(|_| SealError::Damaged)
    }

    /// The value to store instead of `stored`, when it should be sealed again.
    pub fn resealed(&self, stored: &str, aad: &str) -> Result<Option<String>, SealError> {
        if !self.needs_reseal(stored) {
            return Ok(None);
        }
        let plain = self.open(stored, aad)?;
        self.seal(&plain, aad).map(Some)
    }

    /// Whether `stored` should be sealed again: plain while a key is configured, or sealed
    /// with a key other than the current one.
    pub fn needs_reseal(&self, stored: &str) -> bool {
        let Some(current) = &self.current else {
            return false;
        };
        match stored.strip_prefix(PREFIX) {
            None => true,
            Some(rest) => !rest.starts_with(&format!("{}:", current.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "HxwdHhobGBkWFxQVEhMQEQ4PDA0KCwgJBgcEBQIDAAE=";

    #[test]
    fn sealed_values_open_only_with_their_row_and_hide_the_secret() {
        let sealer = Sealer::new(Some(KEY_A), "").unwrap();
        let sealed = sealer.seal("s3cret", "row-1").unwrap();
        assert!(sealed.starts_with("sg1:") && !sealed.contains("s3cret"));
        assert_ne!(
            sealed,
            sealer.seal("s3cret", "row-1").unwrap(),
            "fresh nonce"
        );
        assert_eq!(sealer.open(&sealed, "row-1").unwrap(), "s3cret");
        assert!(matches!(
            sealer.open(&sealed, "row-2"),
            Err(SealError::Damaged)
        ));
    }

    #[test]
    fn a_previous_key_still_opens_and_an_unknown_one_is_named() {
        let old = Sealer::new(Some(KEY_A), "").unwrap();
        let sealed = old.seal("s3cret", "row").unwrap();
        let rotated = Sealer::new(Some(KEY_B), KEY_A).unwrap();
        assert_eq!(rotated.open(&sealed, "row").unwrap(), "s3cret");
        assert!(rotated.needs_reseal(&sealed));
        assert!(!rotated.needs_reseal(&rotated.seal("s3cret", "row").unwrap()));
        let without = Sealer::new(Some(KEY_B), "").unwrap();
        assert!(matches!(
            without.open(&sealed, "row"),
            Err(SealError::UnknownKey(_))
        ));
    }

    #[test]
    fn without_a_key_values_stay_plain_and_plain_values_always_read() {
        let plain = Sealer::plain();
        assert_eq!(plain.seal("s3cret", "row").unwrap(), "s3cret");
        assert!(!plain.needs_reseal("s3cret"));
        let sealing = Sealer::new(Some(KEY_A), "").unwrap();
        assert_eq!(sealing.open("s3cret", "row").unwrap(), "s3cret");
        assert!(sealing.needs_reseal("s3cret"));
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(Sealer::new(Some("c2hvcnQ="), "").is_err());
        assert!(Sealer::new(Some("not base64!"), "").is_err());
        assert!(Sealer::new(None, KEY_A).is_ok());
    }
}
