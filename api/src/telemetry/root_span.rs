//! The span of every request. Unlike tracing-actix-web's default it records no query string
//! (SCIM filters name people: `userName eq "ada@example.com"`), no client address, and no
//! error text (409 details quote the taken userName): only the route pattern, method, status,
//! SCIM operation and, once the token is verified, the tenant.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use super::scim_route;

/// Label of requests that matched no route: never the raw path, whose values are unbounded.
pub const UNMATCHED_ROUTE: &str = "unmatched";

pub struct ScimRootSpan;

impl RootSpanBuilder for ScimRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let pattern = request.match_pattern();
        let method = method_label(request.method());
        let route = pattern.as_deref();
        let scim = scim_route::classify(request.method(), route);
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        let span = tracing::info_span!(
            "HTTP request",
            otel.name = %route.map_or_else(|| method.to_owned(), |r| format!("{method} {r}")),
            otel.kind = "server",
            otel.status_code = Empty,
            http.request.method = method,
            http.route = route,
            http.response.status_code = Empty,
            url.scheme = request.connection_info().scheme(),
            request_id = %request_id,
            trace_id = Empty,
            tenant = Empty,
            scim.operation = scim.map(|s| s.operation),
            scim.resource_type = scim.and_then(|s| s.resource_type),
        );
        super::trace_context::continue_trace(request.headers(), &span);
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.response.status_code", status.as_u16());
        // Client errors are the client's; only server errors mark the span failed.
        if status.is_server_error() {
            span.record("otel.status_code", "ERROR");
        }
    }
}

/// The method as a bounded label: unknown methods are `_OTHER`, as OpenTelemetry's HTTP
/// conventions say, so a client cannot mint new label values.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "_OTHER",
    }
}
