//! Telemetry: log lines always; OpenTelemetry traces over OTLP only when a collector is
//! configured, so a default start builds no exporter and pays nothing for one.
//!
//! The tracing subscriber is process-wide: the first `init` in a process wins (tests start
//! many apps in one process), while metrics live in each app (`metrics::Metrics`).

pub mod guard_refusals;
pub mod log_format;
pub mod metrics;
pub mod otlp;
pub mod request_metrics;
pub mod root_span;
pub mod scim_route;
pub mod tenant;
pub mod trace_context;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

pub use otlp::{OtlpTarget, TlsFiles};

#[derive(Debug, thiserror::Error)]
#[error("cannot set up telemetry: {0}")]
pub struct TelemetryError(pub String);

/// What `init` started; `shutdown` flushes it.
#[must_use = "shut telemetry down at exit, or the last spans are lost"]
pub struct Telemetry {
    tracer: Option<SdkTracerProvider>,
}

/// Installs the process's subscriber: log lines filtered by `RUST_LOG` (default `info`) and,
/// with a collector, spans exported over OTLP gRPC.
pub fn init(
    log_format: log_format::LogFormat,
    otlp: Option<&OtlpTarget>,
) -> Result<Telemetry, TelemetryError> {
    let tracer = otlp.map(otlp::tracer_provider).transpose()?;
    let export = tracer.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("scimgate"))
            .with_filter(export_filter())
    });
    let logs = log_format::layer(log_format, std::io::stderr)
        .with_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")));
    let installed = tracing_subscriber::registry()
        .with(export)
        .with(logs)
        .try_init()
        .is_ok();
    // A second init (tests start several apps in one process) keeps the first subscriber;
    // a provider that no subscriber feeds would only hold a thread.
    Ok(Telemetry {
        tracer: tracer.filter(|_| installed),
    })
}

/// What goes to the collector, whatever `RUST_LOG` says: the app's spans, not those of the
/// HTTP/2 and gRPC machinery that carries the export (that would export itself forever).
fn export_filter() -> Targets {
    Targets::new()
        .with_default(LevelFilter::INFO)
        .with_target("h2", LevelFilter::OFF)
        .with_target("hyper", LevelFilter::OFF)
        .with_target("hyper_util", LevelFilter::OFF)
        .with_target("tonic", LevelFilter::OFF)
        .with_target("tower", LevelFilter::OFF)
        .with_target("opentelemetry", LevelFilter::OFF)
        .with_target("opentelemetry_sdk", LevelFilter::OFF)
        .with_target("opentelemetry_otlp", LevelFilter::OFF)
}

impl Telemetry {
    /// Exports the spans still buffered. Runs on a blocking thread: the exporter waits for
    /// its own network I/O, which would stall (and lose spans) on an async worker.
    pub async fn shutdown(self) {
        let Some(provider) = self.tracer else {
            return;
        };
        let outcome = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        if let Ok(Err(err)) = outcome {
            eprintln!("trace export did not shut down cleanly: {err}");
        }
    }
}
