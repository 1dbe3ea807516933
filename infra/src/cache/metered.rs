//! A `Cache` seen from outside: a `cache.get`/`cache.put`/`cache.remove` span per call and
//! lookup counts by result (hit, miss, error), whatever the backend. Wrapping keeps the
//! domain free of telemetry and counts both backends the same way. Keys are never recorded:
//! they carry token ids.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Meter};
use scimgate_domain::error::DomainResult;
use scimgate_domain::ports::Cache;
use tracing::Instrument;
use tracing::field::Empty;

pub struct MeteredCache {
    inner: Arc<dyn Cache>,
    /// `memory` or `redis`, for spans and labels.
    backend: &'static str,
    lookups: Counter<u64>,
}

impl MeteredCache {
    pub fn new(inner: Arc<dyn Cache>, backend: &'static str, meter: &Meter) -> Self {
        let lookups = meter
            .u64_counter("scimgate.cache.lookups")
            .with_description("Cache reads by backend and result: hit, miss or error")
            .build();
        Self {
            inner,
            backend,
            lookups,
        }
    }

    fn span(&self, name: &'static str) -> tracing::Span {
        tracing::info_span!(
            "cache",
            otel.name = name,
            otel.kind = "client",
            otel.status_code = Empty,
            cache.backend = self.backend,
        )
    }
}

/// Marks the span failed: cache errors always mean the backend is unavailable.
fn traced<T>(span: &tracing::Span, result: DomainResult<T>) -> DomainResult<T> {
    if result.is_err() {
        span.record("otel.status_code", "ERROR");
    }
    result
}

#[async_trait]
impl Cache for MeteredCache {
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        let span = self.span("cache.get");
        let result = self.inner.get(key).instrument(span.clone()).await;
        let outcome = match &result {
            Ok(Some(_)) => "hit",
            Ok(None) => "miss",
            Err(_) => "error",
        };
        self.lookups.add(
            1,
            &[
                KeyValue::new("cache.backend", self.backend),
                KeyValue::new("result", outcome),
            ],
        );
        traced(&span, result)
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> DomainResult<()> {
        let span = self.span("cache.put");
        let result = self
            .inner
            .put(key, value, ttl)
            .instrument(span.clone())
            .await;
        traced(&span, result)
    }

    async fn remove(&self, key: &str) -> DomainResult<()> {
        let span = self.span("cache.remove");
        let result = self.inner.remove(key).instrument(span.clone()).await;
        traced(&span, result)
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry::metrics::MeterProvider as _;
    use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
    use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};

    use super::*;
    use crate::cache::MemoryCache;

    /// `(result, count)` of every exported `scimgate.cache.lookups` point.
    fn lookups(exporter: &InMemoryMetricExporter) -> Vec<(String, u64)> {
        let mut points = Vec::new();
        for resource in exporter.get_finished_metrics().unwrap() {
            for metric in resource.scope_metrics().flat_map(|scope| scope.metrics()) {
                let AggregatedMetrics::U64(MetricData::Sum(sum)) = metric.data() else {
                    continue;
                };
                for point in sum.data_points() {
                    let result = point
                        .attributes()
                        .find(|kv| kv.key.as_str() == "result")
                        .map(|kv| kv.value.to_string())
                        .unwrap();
                    points.push((result, point.value()));
                }
            }
        }
        points.sort();
        points
    }

    #[tokio::test]
    async fn lookups_are_counted_as_hits_and_misses() {
        let exporter = InMemoryMetricExporter::default();
        let provider = SdkMeterProvider::builder()
            .with_reader(PeriodicReader::builder(exporter.clone()).build())
            .build();
        let cache = MeteredCache::new(
            Arc::new(MemoryCache::new(10)),
            "memory",
            &provider.meter("test"),
        );

        cache.get("k").await.unwrap();
        cache
            .put("k", b"v".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        cache.get("k").await.unwrap();
        cache.get("k").await.unwrap();
        provider.force_flush().unwrap();

        assert_eq!(
            lookups(&exporter),
            vec![("hit".to_owned(), 2), ("miss".to_owned(), 1)]
        );
    }
}
