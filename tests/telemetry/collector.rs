//! A tiny OTLP gRPC collector on 127.0.0.1 that keeps what it is sent: spans with their
//! service name, and metric names. In plaintext, or behind TLS like a collector reached over
//! `https://`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::{
    MetricsService, MetricsServiceServer,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};

/// A received span and the `service.name` of the resource that sent it.
#[derive(Debug, Clone)]
pub struct ReceivedSpan {
    pub service: Option<String>,
    pub span: Span,
}

#[derive(Clone, Default)]
pub struct Collector {
    spans: Arc<Mutex<Vec<ReceivedSpan>>>,
    metric_names: Arc<Mutex<Vec<String>>>,
}

impl Collector {
    /// Starts serving on a free port of 127.0.0.1; returns the collector and its endpoint.
    pub async fn start() -> (Self, String) {
        let (collector, port) = Self::serve(Server::builder());
        (collector, format!("http://127.0.0.1:{port}"))
    }

    /// Starts serving over TLS with the certificate and key `identity` (PEM), asking clients
    /// for a certificate signed by `client_ca` when given. The endpoint names `localhost`,
    /// the name the test certificates are for.
    pub async fn start_tls(identity: (&str, &str), client_ca: Option<&str>) -> (Self, String) {
        // Both of rustls's providers are compiled in, so tonic's server cannot pick one itself
        // (scimgate's exporter names aws-lc-rs); a second install in this process is a no-op.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let mut tls = ServerTlsConfig::new().identity(Identity::from_pem(identity.0, identity.1));
        if let Some(ca) = client_ca {
            tls = tls.client_ca_root(Certificate::from_pem(ca));
        }
        let (collector, port) = Self::serve(Server::builder().tls_config(tls).unwrap());
        (collector, format!("https://localhost:{port}"))
    }

    fn serve(mut builder: Server) -> (Self, u16) {
        let incoming = TcpIncoming::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let port = incoming.local_addr().unwrap().port();
        let collector = Self::default();
        let server = builder
            .add_service(TraceServiceServer::new(collector.clone()))
            .add_service(MetricsServiceServer::new(collector.clone()))
            .serve_with_incoming(incoming);
        tokio::spawn(server);
        (collector, port)
    }

    pub fn spans(&self) -> Vec<ReceivedSpan> {
        self.spans.lock().unwrap().clone()
    }

    pub fn metric_names(&self) -> Vec<String> {
        self.metric_names.lock().unwrap().clone()
    }

    /// Waits (the batch exporter sends every few seconds) until a span named `name` arrived.
    pub async fn wait_for_span(&self, name: &str) -> ReceivedSpan {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(found) = self.spans().into_iter().find(|s| s.span.name == name) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no span {name} among {:?}",
                self.spans()
                    .iter()
                    .map(|s| &s.span.name)
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let mut spans = self.spans.lock().unwrap();
        for resource_spans in request.into_inner().resource_spans {
            let service = resource_spans
                .resource
                .as_ref()
                .and_then(|r| string_attribute(&r.attributes, "service.name"));
            for scope in resource_spans.scope_spans {
                spans.extend(scope.spans.into_iter().map(|span| ReceivedSpan {
                    service: service.clone(),
                    span,
                }));
            }
        }
        Ok(Response::new(ExportTraceServiceResponse::default()))
    }
}

#[tonic::async_trait]
impl MetricsService for Collector {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        let mut names = self.metric_names.lock().unwrap();
        for resource in request.into_inner().resource_metrics {
            for scope in resource.scope_metrics {
                names.extend(scope.metrics.into_iter().map(|m| m.name));
            }
        }
        Ok(Response::new(ExportMetricsServiceResponse::default()))
    }
}

/// An attribute's value as text (strings as they are, numbers and booleans printed).
pub fn string_attribute(attributes: &[KeyValue], key: &str) -> Option<String> {
    let value = attributes.iter().find(|kv| kv.key == key)?.value.as_ref()?;
    match value {
        AnyValue {
            value: Some(any_value::Value::StringValue(s)),
            ..
        } => Some(s.clone()),
        AnyValue {
            value: Some(any_value::Value::IntValue(i)),
            ..
        } => Some(i.to_string()),
        AnyValue {
            value: Some(any_value::Value::BoolValue(b)),
            ..
        } => Some(b.to_string()),
        _ => None,
    }
}
