//! TLS to an `https://` collector: verified against the bundled Mozilla roots (distroless images
//! have no system CA store), or against the CA bundle named by the standard
//! `OTEL_EXPORTER_OTLP_CERTIFICATE`; plus, for collectors that require mutual TLS, the client
//! certificate and key of `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE` and `_CLIENT_KEY`.

use std::path::{Path, PathBuf};

use opentelemetry_otlp::tonic_types::transport::{Certificate, ClientTlsConfig, Identity};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::telemetry::TelemetryError;

const CERTIFICATE: &str = "OTEL_EXPORTER_OTLP_CERTIFICATE";
const CLIENT_CERTIFICATE: &str = "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE";
const CLIENT_KEY: &str = "OTEL_EXPORTER_OTLP_CLIENT_KEY";

/// PEM files that shape TLS to the collector; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    /// CA bundle that verifies the collector, in place of the bundled roots.
    pub certificate: Option<PathBuf>,
    /// Certificate chain presented to the collector (mutual TLS), with its key.
    pub client_certificate: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
}

/// The TLS an exporter to `endpoint` uses; `None` for a plaintext `http://` endpoint, which
/// ignores the files. Reads the files now, so a missing or broken one stops the start with
/// its name instead of failing every export later.
pub fn client_config(
    endpoint: &str,
    files: &TlsFiles,
) -> Result<Option<ClientTlsConfig>, TelemetryError> {
    if !is_https(endpoint) {
        return Ok(None);
    }
    let config = match &files.certificate {
        // Like the other OpenTelemetry SDKs: the operator's CA replaces the public roots, so a
        // private collector is trusted only through it.
        Some(path) => ClientTlsConfig::new()
            .ca_certificate(Certificate::from_pem(certificates(CERTIFICATE, path)?)),
        None => ClientTlsConfig::new().with_webpki_roots(),
    };
    let config = match (&files.client_certificate, &files.client_key) {
        (None, None) => config,
        (Some(chain), Some(key)) => config.identity(Identity::from_pem(
            certificates(CLIENT_CERTIFICATE, chain)?,
            private_key(key)?,
        )),
        (Some(_), None) => return Err(alone(CLIENT_CERTIFICATE, CLIENT_KEY)),
        (None, Some(_)) => return Err(alone(CLIENT_KEY, CLIENT_CERTIFICATE)),
    };
    Ok(Some(config))
}

fn is_https(endpoint: &str) -> bool {
    endpoint
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

fn alone(set: &str, missing: &str) -> TelemetryError {
    TelemetryError(format!(
        "{set} is set but {missing} is not: set both or neither"
    ))
}

fn read(variable: &str, path: &Path) -> Result<Vec<u8>, TelemetryError> {
    std::fs::read(path)
        .map_err(|err| TelemetryError(format!("{variable}: cannot read {}: {err}", path.display())))
}

/// The file, checked to hold PEM certificates: rustls skips what it cannot parse without a
/// word, which would leave an exporter whose every handshake fails.
fn certificates(variable: &str, path: &Path) -> Result<Vec<u8>, TelemetryError> {
    let pem = read(variable, path)?;
    let found = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| invalid(variable, path, &err.to_string()))?;
    if found.is_empty() {
        return Err(invalid(variable, path, "no PEM certificate in it"));
    }
    Ok(pem)
}

fn private_key(path: &Path) -> Result<Vec<u8>, TelemetryError> {
    let pem = read(CLIENT_KEY, path)?;
    PrivateKeyDer::from_pem_slice(&pem)
        .map_err(|err| invalid(CLIENT_KEY, path, &format!("no PEM private key: {err}")))?;
    Ok(pem)
}

fn invalid(variable: &str, path: &Path, why: &str) -> TelemetryError {
    TelemetryError(format!("{variable}: {}: {why}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(content: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), content).unwrap();
        file
    }

    fn error(endpoint: &str, files: &TlsFiles) -> String {
        client_config(endpoint, files).unwrap_err().0
    }

    #[test]
    fn plaintext_endpoints_ignore_the_files_and_https_ones_use_the_bundled_roots() {
        let missing = TlsFiles {
            certificate: Some("/nonexistent/ca.pem".into()),
            ..TlsFiles::default()
        };
        assert!(
            client_config("http://collector:4317", &missing)
                .unwrap()
                .is_none()
        );
        assert!(
            client_config("HTTPS://collector:4317", &TlsFiles::default())
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn a_missing_or_broken_certificate_file_is_an_error_naming_it() {
        let missing = TlsFiles {
            certificate: Some("/nonexistent/ca.pem".into()),
            ..TlsFiles::default()
        };
        let message = error("https://collector:4317", &missing);
        assert!(
            message.starts_with("OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read /nonexistent/ca.pem")
        );

        let garbage = file("not a certificate\n");
        let broken = TlsFiles {
            certificate: Some(garbage.path().into()),
            ..TlsFiles::default()
        };
        let message = error("https://collector:4317", &broken);
        assert!(message.contains("no PEM certificate"), "{message}");

        let truncated = file("-----BEGIN CERTIFICATE-----\nMIIB\n");
        let broken = TlsFiles {
            certificate: Some(truncated.path().into()),
            ..TlsFiles::default()
        };
        let message = error("https://collector:4317", &broken);
        assert!(
            message.starts_with("OTEL_EXPORTER_OTLP_CERTIFICATE: "),
            "{message}"
        );
    }

    #[test]
    fn a_client_certificate_needs_its_key_and_the_reverse() {
        let chain = TlsFiles {
            client_certificate: Some("/nonexistent/client.pem".into()),
            ..TlsFiles::default()
        };
        let message = error("https://collector:4317", &chain);
        assert!(
            message.contains("OTEL_EXPORTER_OTLP_CLIENT_KEY is not"),
            "{message}"
        );
        let key = TlsFiles {
            client_key: Some("/nonexistent/client.key".into()),
            ..TlsFiles::default()
        };
        let message = error("https://collector:4317", &key);
        assert!(
            message.contains("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is not"),
            "{message}"
        );
    }
}
