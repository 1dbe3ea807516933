//! This app's metrics: one meter provider per app (tests run many apps in one process and
//! each `/metrics` shows its own), read by Prometheus at `GET /metrics` and, with a collector,
//! pushed over OTLP.

use std::time::Duration;

use actix_web::http::StatusCode;
use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Histogram, Meter, MeterProvider as _};
use opentelemetry_sdk::metrics::SdkMeterProvider;
use prometheus::{Registry, TextEncoder};

use super::{OtlpTarget, TelemetryError, otlp};

/// OpenTelemetry's advice for `http.server.request.duration`, in seconds.
const DURATION_BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

pub struct Metrics {
    provider: SdkMeterProvider,
    /// What `/metrics` renders; `None` when it is turned off.
    registry: Option<Registry>,
    requests: Counter<u64>,
    duration: Histogram<f64>,
    tenant_requests: Counter<u64>,
    request_log_dropped: Counter<u64>,
}

/// One finished request, as the metrics middleware saw it.
pub struct RequestOutcome<'a> {
    /// The route pattern (`/t/{tenant}/scim/v2/Users/{id}`), never the path.
    pub route: &'a str,
    pub method: &'static str,
    pub status: StatusCode,
    /// The verified tenant, if the request had one.
    pub tenant: Option<&'a str>,
    pub elapsed: Duration,
}

impl Metrics {
    /// Readers: Prometheus when `prometheus` is set, OTLP when there is a collector.
    pub fn new(
        service_name: &str,
        prometheus: bool,
        otlp: Option<&OtlpTarget>,
    ) -> Result<Self, TelemetryError> {
        let mut builder = SdkMeterProvider::builder().with_resource(otlp::resource(service_name));
        if let Some(target) = otlp {
            builder = builder.with_reader(otlp::metric_reader(target)?);
        }
        let registry = prometheus.then(Registry::new);
        if let Some(registry) = &registry {
            let exporter = opentelemetry_prometheus::exporter()
                .with_registry(registry.clone())
                .without_scope_info()
                .build()
                .map_err(|err| TelemetryError(format!("Prometheus exporter: {err}")))?;
            builder = builder.with_reader(exporter);
        }
        let provider = builder.build();
        let meter = provider.meter("scimgate");
        Ok(Self {
            requests: meter
                .u64_counter("http.server.requests")
                .with_description("HTTP requests by route pattern, method and status")
                .build(),
            duration: meter
                .f64_histogram("http.server.request.duration")
                .with_unit("s")
                .with_description("Time to the response head, by route pattern, method and status")
                .with_boundaries(DURATION_BUCKETS.to_vec())
                .build(),
            tenant_requests: meter
                .u64_counter("scimgate.tenant.requests")
                .with_description("Requests of verified tenants, by tenant slug and status")
                .build(),
            request_log_dropped: meter
                .u64_counter("scimgate.request_log.dropped")
                .with_description(
                    "Console request log records not stored, by reason (buffer_full, write_failed)",
                )
                .build(),
            provider,
            registry,
        })
    }

    /// For adapters that count their own work (cache lookups, database pool).
    pub fn meter(&self) -> Meter {
        self.provider.meter("scimgate")
    }

    pub fn record_request(&self, outcome: &RequestOutcome<'_>) {
        let status = i64::from(outcome.status.as_u16());
        let labels = [
            KeyValue::new("http.route", outcome.route.to_owned()),
            KeyValue::new("http.request.method", outcome.method),
            KeyValue::new("http.response.status_code", status),
        ];
        self.requests.add(1, &labels);
        self.duration.record(outcome.elapsed.as_secs_f64(), &labels);
        if let Some(tenant) = outcome.tenant {
            self.tenant_requests.add(
                1,
                &[
                    KeyValue::new("tenant", tenant.to_owned()),
                    KeyValue::new("http.response.status_code", status),
                ],
            );
        }
    }

    /// Counts request log records that were not stored (the requests themselves stood).
    pub fn request_log_dropped(&self, records: u64, reason: &'static str) {
        self.request_log_dropped
            .add(records, &[KeyValue::new("reason", reason)]);
    }

    /// The Prometheus text exposition, or `None` when `/metrics` is off.
    pub fn render(&self) -> Option<Result<String, TelemetryError>> {
        let registry = self.registry.as_ref()?;
        Some(
            TextEncoder::new()
                .encode_to_string(&registry.gather())
                .map_err(|err| TelemetryError(format!("Prometheus encoding: {err}"))),
        )
    }

    /// Pushes what OTLP has not sent yet (a no-op without a collector).
    pub async fn flush(&self) {
        let provider = self.provider.clone();
        let _ = tokio::task::spawn_blocking(move || provider.force_flush()).await;
    }

    /// Final push and stop, on a blocking thread: the exporter waits for its network I/O.
    pub async fn shutdown(&self) {
        let provider = self.provider.clone();
        let outcome = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        if let Ok(Err(err)) = outcome {
            tracing::warn!(error = %err, "metric export did not shut down cleanly");
        }
    }
}
