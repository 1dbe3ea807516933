//! A throwaway PKI made per test: a CA, a `localhost` server certificate and a client
//! certificate it signs, written as PEM files the way an operator would mount them.

use std::path::PathBuf;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tempfile::TempDir;

/// A certificate and its private key, PEM.
pub struct Leaf {
    pub cert: String,
    pub key: String,
}

pub struct Pki {
    /// Holds the PEM files; dropped with the `Pki`.
    pub dir: TempDir,
    pub ca_pem: String,
    pub server: Leaf,
    pub client: Leaf,
}

impl Pki {
    pub fn generate() -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "scimgate test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
        let issuer = Issuer::new(ca, ca_key);
        let leaf = |usage: ExtendedKeyUsagePurpose| {
            let key = KeyPair::generate().unwrap();
            let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
            params.extended_key_usages = vec![usage];
            Leaf {
                cert: params.signed_by(&key, &issuer).unwrap().pem(),
                key: key.serialize_pem(),
            }
        };
        Self {
            dir: tempfile::tempdir().unwrap(),
            ca_pem,
            server: leaf(ExtendedKeyUsagePurpose::ServerAuth),
            client: leaf(ExtendedKeyUsagePurpose::ClientAuth),
        }
    }

    /// Writes `pem` to a file named `name` and returns its path.
    pub fn file(&self, name: &str, pem: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, pem).unwrap();
        path
    }
}
