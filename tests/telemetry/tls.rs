//! Export to an `https://` collector: verified with the CA of `OTEL_EXPORTER_OTLP_CERTIFICATE`
//! (spans and metrics arrive), refused without it (nothing arrives), and mutual TLS with
//! `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE` / `_CLIENT_KEY`.
//!
//! Spans go through an exporter built from the settings exactly as `telemetry::init` builds
//! it, but fed directly: the process-wide tracing subscriber belongs to the plaintext test.

use std::time::Duration;

use opentelemetry::trace::{Tracer as _, TracerProvider as _};
use scimgate_api::config::Settings;
use scimgate_api::telemetry::{OtlpTarget, otlp};

use crate::collector::Collector;
use crate::helpers::{TestApp, spawn_with, test_settings};
use crate::pki::Pki;

/// Longest a flush may take, even against a collector that refuses the handshake.
const BOUND: Duration = Duration::from_secs(30);

/// Test settings exporting to `endpoint`, tagged so the spans are told apart.
fn settings(data: &tempfile::TempDir, endpoint: &str) -> Settings {
    let mut settings = test_settings(data);
    settings.otel_exporter_otlp_endpoint = Some(endpoint.to_owned());
    settings.otel_service_name = "scimgate-tls-test".into();
    settings
}

/// Exports one span named `name` through a span exporter built for `settings`; whether the
/// flush reported success.
async fn export_span(settings: &Settings, name: &'static str) -> bool {
    let target = OtlpTarget::from_settings(settings).unwrap();
    let provider = otlp::tracer_provider(&target).unwrap();
    provider.tracer("tls-test").in_span(name, |_| {});
    let flush = tokio::task::spawn_blocking(move || {
        let flushed = provider.force_flush();
        let _ = provider.shutdown();
        flushed.is_ok()
    });
    tokio::time::timeout(BOUND, flush).await.unwrap().unwrap()
}

/// One request through the app, then its metrics pushed to the collector.
async fn request_and_push_metrics(app: &TestApp) {
    let tenant = app.tenant("tls").await;
    let listed = app.get(&tenant, "/Users").await;
    assert_eq!(listed.status(), 200);
    listed.text().await.unwrap();
    tokio::time::timeout(BOUND, app.state.metrics.flush())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_and_metrics_reach_an_https_collector_verified_with_the_configured_ca() {
    let pki = Pki::generate();
    let (collector, endpoint) =
        Collector::start_tls((&pki.server.cert, &pki.server.key), None).await;
    assert!(endpoint.starts_with("https://localhost:"), "{endpoint}");
    let data = tempfile::tempdir().unwrap();
    let mut settings = settings(&data, &endpoint);
    settings.otel_exporter_otlp_certificate = Some(pki.file("ca.pem", &pki.ca_pem));

    assert!(
        export_span(&settings, "tls.probe").await,
        "span export failed"
    );
    let probe = collector.wait_for_span("tls.probe").await;
    assert_eq!(probe.service.as_deref(), Some("scimgate-tls-test"));

    let app = spawn_with(settings, data).await;
    request_and_push_metrics(&app).await;
    let names = collector.metric_names();
    for metric in ["http.server.requests", "http.server.request.duration"] {
        assert!(
            names.iter().any(|n| n == metric),
            "{metric} not in {names:?}"
        );
    }
    app.state.metrics.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_collector_ca_the_handshake_fails_and_nothing_is_exported() {
    let pki = Pki::generate();
    let (collector, endpoint) =
        Collector::start_tls((&pki.server.cert, &pki.server.key), None).await;
    let data = tempfile::tempdir().unwrap();
    // No OTEL_EXPORTER_OTLP_CERTIFICATE: the bundled public roots, which do not know the CA.
    let settings = settings(&data, &endpoint);

    assert!(
        !export_span(&settings, "tls.untrusted").await,
        "an export to an unverifiable collector reported success"
    );
    let app = spawn_with(settings, data).await;
    request_and_push_metrics(&app).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(collector.spans().is_empty(), "{:?}", collector.spans());
    assert!(
        collector.metric_names().is_empty(),
        "{:?}",
        collector.metric_names()
    );
    app.state.metrics.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collector_requiring_client_certificates_accepts_the_configured_one() {
    let pki = Pki::generate();
    let (collector, endpoint) =
        Collector::start_tls((&pki.server.cert, &pki.server.key), Some(&pki.ca_pem)).await;
    let data = tempfile::tempdir().unwrap();
    let mut settings = settings(&data, &endpoint);
    settings.otel_exporter_otlp_certificate = Some(pki.file("ca.pem", &pki.ca_pem));

    // Without a client certificate the collector turns the connection down...
    assert!(!export_span(&settings, "mtls.anonymous").await);
    // ...and with one it takes the spans.
    settings.otel_exporter_otlp_client_certificate = Some(pki.file("client.pem", &pki.client.cert));
    settings.otel_exporter_otlp_client_key = Some(pki.file("client.key", &pki.client.key));
    assert!(
        export_span(&settings, "mtls.probe").await,
        "mTLS export failed"
    );
    collector.wait_for_span("mtls.probe").await;
    assert!(
        collector
            .spans()
            .iter()
            .all(|s| s.span.name != "mtls.anonymous"),
        "a span arrived without a client certificate"
    );
}
