//! OpenTelemetry export end to end: the app's spans and metrics reach an OTLP collector the
//! test runs on 127.0.0.1, in plaintext here and over TLS in `tls`. A binary of its own because the tracing subscriber that feeds the
//! exporter is process-wide and must not leak into the `api` tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests measure real time (expiry, TTLs) as a client would.
#![allow(clippy::disallowed_methods)]

mod collector;
#[allow(dead_code, unused_imports)]
#[path = "../api/helpers/mod.rs"]
mod helpers;
mod pki;
mod tls;

use std::time::{Duration, Instant};

use collector::{Collector, ReceivedSpan, string_attribute};
use helpers::{spawn_with, test_settings, user};
use scimgate_api::telemetry::{self, OtlpTarget, TlsFiles};

const CALLER_TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";

fn attribute(span: &ReceivedSpan, key: &str) -> Option<String> {
    string_attribute(&span.span.attributes, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_spans_and_metrics_reach_the_collector_without_tokens_or_personal_data() {
    let (collector, endpoint) = Collector::start().await;
    let target = OtlpTarget {
        endpoint: endpoint.clone(),
        service_name: "scimgate-test".into(),
        tls: TlsFiles::default(),
    };
    let telemetry = telemetry::init(telemetry::log_format::LogFormat::Json, Some(&target)).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&data);
    settings.otel_exporter_otlp_endpoint = Some(endpoint);
    settings.otel_service_name = "scimgate-test".into();
    let app = spawn_with(settings, data).await;
    let tenant = app.tenant("acme").await;

    let created = app
        .post_request(&tenant, "/Users", &user("ada.lovelace"))
        .header("traceparent", format!("00-{CALLER_TRACE}-{CALLER_SPAN}-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    created.text().await.unwrap();
    let listed = app
        .get(&tenant, "/Users?filter=userName%20eq%20%22ada.lovelace%22")
        .await;
    assert_eq!(listed.status(), 200);
    listed.text().await.unwrap();

    let create = collector
        .wait_for_span("POST /t/{tenant}/scim/v2/Users")
        .await;
    assert_eq!(create.service.as_deref(), Some("scimgate-test"));
    assert_eq!(
        attribute(&create, "http.route").as_deref(),
        Some("/t/{tenant}/scim/v2/Users")
    );
    assert_eq!(
        attribute(&create, "http.response.status_code").as_deref(),
        Some("201")
    );
    assert_eq!(attribute(&create, "tenant").as_deref(), Some("acme"));
    assert_eq!(
        attribute(&create, "scim.operation").as_deref(),
        Some("create")
    );
    assert_eq!(
        attribute(&create, "scim.resource_type").as_deref(),
        Some("User")
    );
    // The caller's `traceparent` is continued, not replaced, and named for the logs.
    assert_eq!(hex::encode(&create.span.trace_id), CALLER_TRACE);
    assert_eq!(hex::encode(&create.span.parent_span_id), CALLER_SPAN);
    assert_eq!(
        attribute(&create, "trace_id").as_deref(),
        Some(CALLER_TRACE)
    );
    assert!(attribute(&create, "request_id").is_some());

    let insert = collector.wait_for_span("db.resources.insert").await;
    assert_eq!(insert.span.trace_id, create.span.trace_id);
    let system = attribute(&insert, "db.system").unwrap();
    assert!(
        ["sqlite", "postgresql"].contains(&system.as_str()),
        "{system}"
    );
    assert!(attribute(&insert, "tenant.id").is_some());
    let lookup = collector.wait_for_span("cache.get").await;
    assert!(attribute(&lookup, "cache.backend").is_some());
    collector
        .wait_for_span("GET /t/{tenant}/scim/v2/Users")
        .await;

    let everything = format!("{:?}", collector.spans());
    let secret = tenant.token.rsplit('_').next().unwrap();
    assert!(
        !everything.contains(&tenant.token),
        "the bearer token was exported"
    );
    assert!(
        !everything.contains(secret),
        "the token secret was exported"
    );
    assert!(
        !everything.contains("ada.lovelace"),
        "a userName was exported"
    );
    assert!(
        !everything.contains("Lovelace"),
        "a person's name was exported"
    );

    app.state.metrics.flush().await;
    let names = collector.metric_names();
    for metric in [
        "http.server.requests",
        "http.server.request.duration",
        "scimgate.tenant.requests",
        "scimgate.cache.lookups",
        "db.client.connection.count",
    ] {
        assert!(
            names.iter().any(|n| n == metric),
            "{metric} not in {names:?}"
        );
    }

    // Shutting down flushes on a blocking thread instead of stalling the runtime.
    let started = Instant::now();
    telemetry.shutdown().await;
    app.state.metrics.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
