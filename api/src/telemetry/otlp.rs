//! OTLP gRPC export to the collector named by the standard `OTEL_EXPORTER_OTLP_ENDPOINT`
//! (`http://otel-collector:4317` in plaintext, or `https://...` over TLS, see `tls`), tagged
//! with `OTEL_SERVICE_NAME` (default `scimgate`).

mod tls;

use std::path::{Path, PathBuf};

use opentelemetry_otlp::{MetricExporter, SpanExporter, WithExportConfig, WithTonicConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::metrics::PeriodicReader;
use opentelemetry_sdk::trace::SdkTracerProvider;

use super::TelemetryError;
use crate::config::Settings;

pub use tls::TlsFiles;

/// Where to export, under which service name, and the TLS files of an `https://` endpoint.
#[derive(Debug, Clone)]
pub struct OtlpTarget {
    pub endpoint: String,
    pub service_name: String,
    pub tls: TlsFiles,
}

impl OtlpTarget {
    /// The configured collector; `None` (no export at all) when the endpoint is unset or
    /// empty, or `OTEL_SDK_DISABLED` is true.
    pub fn from_settings(settings: &Settings) -> Option<Self> {
        if settings.otel_sdk_disabled {
            return None;
        }
        let endpoint = settings.otel_exporter_otlp_endpoint.as_deref()?.trim();
        (!endpoint.is_empty()).then(|| Self {
            endpoint: endpoint.to_owned(),
            service_name: settings.otel_service_name.clone(),
            tls: TlsFiles {
                certificate: path(settings.otel_exporter_otlp_certificate.as_deref()),
                client_certificate: path(settings.otel_exporter_otlp_client_certificate.as_deref()),
                client_key: path(settings.otel_exporter_otlp_client_key.as_deref()),
            },
        })
    }
}

/// An empty variable (`OTEL_EXPORTER_OTLP_CERTIFICATE=`) means unset, as for the endpoint.
fn path(setting: Option<&Path>) -> Option<PathBuf> {
    setting
        .filter(|path| !path.as_os_str().is_empty())
        .map(Path::to_path_buf)
}

/// `service.name` plus whatever `OTEL_RESOURCE_ATTRIBUTES` adds.
pub fn resource(service_name: &str) -> Resource {
    Resource::builder()
        .with_service_name(service_name.to_owned())
        .build()
}

/// Spans batched on the SDK's own thread and sent over gRPC.
pub fn tracer_provider(target: &OtlpTarget) -> Result<SdkTracerProvider, TelemetryError> {
    let mut builder = SpanExporter::builder()
        .with_tonic()
        .with_endpoint(target.endpoint.clone());
    if let Some(tls) = tls::client_config(&target.endpoint, &target.tls)? {
        builder = builder.with_tls_config(tls);
    }
    let exporter = builder
        .build()
        .map_err(|err| TelemetryError(format!("OTLP span exporter: {err}")))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource(&target.service_name))
        .build())
}

/// Metrics pushed every `OTEL_METRIC_EXPORT_INTERVAL` (default 60 s) and at shutdown.
pub fn metric_reader(
    target: &OtlpTarget,
) -> Result<PeriodicReader<MetricExporter>, TelemetryError> {
    let mut builder = MetricExporter::builder()
        .with_tonic()
        .with_endpoint(target.endpoint.clone());
    if let Some(tls) = tls::client_config(&target.endpoint, &target.tls)? {
        builder = builder.with_tls_config(tls);
    }
    let exporter = builder
        .build()
        .map_err(|err| TelemetryError(format!("OTLP metric exporter: {err}")))?;
    Ok(PeriodicReader::builder(exporter).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_needs_a_non_empty_endpoint_and_no_sdk_disabled() {
        let mut settings = Settings::defaults().unwrap();
        assert!(OtlpTarget::from_settings(&settings).is_none());
        settings.otel_exporter_otlp_endpoint = Some(" ".into());
        assert!(OtlpTarget::from_settings(&settings).is_none());
        settings.otel_exporter_otlp_endpoint = Some("http://collector:4317".into());
        let target = OtlpTarget::from_settings(&settings).unwrap();
        assert_eq!(target.endpoint, "http://collector:4317");
        assert_eq!(target.service_name, "scimgate");
        assert_eq!(target.tls, TlsFiles::default());
        settings.otel_sdk_disabled = true;
        assert!(OtlpTarget::from_settings(&settings).is_none());
    }

    #[test]
    fn tls_files_come_from_the_settings_and_empty_ones_count_as_unset() {
        let mut settings = Settings::defaults().unwrap();
        settings.otel_exporter_otlp_endpoint = Some("https://collector:4317".into());
        settings.otel_exporter_otlp_certificate = Some("/etc/otel/ca.pem".into());
        settings.otel_exporter_otlp_client_certificate = Some("".into());
        let target = OtlpTarget::from_settings(&settings).unwrap();
        assert_eq!(
            target.tls,
            TlsFiles {
                certificate: Some("/etc/otel/ca.pem".into()),
                client_certificate: None,
                client_key: None,
            }
        );
    }
}
