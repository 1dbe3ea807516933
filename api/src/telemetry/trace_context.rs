//! W3C trace context: a request arriving with `traceparent` continues its caller's trace, and
//! the root span's `trace_id` field (hence every log line of the request) names the trace.

use actix_web::http::header::HeaderMap;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{TraceContextExt, TraceId};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

/// Makes `span` a child of the caller's span, if any, and records `trace_id`: the exported
/// trace's id with a collector, else the caller's, so logs still join the caller's trace.
pub fn continue_trace(headers: &HeaderMap, span: &Span) {
    let parent = TraceContextPropagator::new().extract(&Headers(headers));
    let callers = parent.span().span_context().trace_id();
    // Fails only when no OpenTelemetry layer is installed: then there is no span to attach.
    let _ = span.set_parent(parent);
    let own = span.context().span().span_context().trace_id();
    let trace_id = [own, callers]
        .into_iter()
        .find(|id| *id != TraceId::INVALID);
    if let Some(id) = trace_id {
        span.record("trace_id", tracing::field::display(id));
    }
}
