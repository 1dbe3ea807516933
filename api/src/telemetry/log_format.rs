//! Log lines: human-readable text, or JSON with the request's `request_id` and `trace_id` at
//! the top level of every line written during a request, so a log search can gather one
//! request's lines and jump to its trace without digging into the span list.

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::format::{Format, Json, JsonFields, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;

/// The fields lifted to the top of JSON lines, as the request's root span names them.
const CORRELATION_FIELDS: [&str; 2] = ["request_id", "trace_id"];

/// The shape of log lines (`SCIMGATE_LOG_FORMAT`); anything but `text` or `json` stops the
/// start with an error naming the setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

pub fn layer<S, W>(format: LogFormat, writer: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    if format == LogFormat::Json {
        tracing_subscriber::fmt::layer()
            .fmt_fields(JsonFields::new())
            .event_format(CorrelatedJson::default())
            .with_writer(writer)
            .boxed()
    } else {
        tracing_subscriber::fmt::layer().with_writer(writer).boxed()
    }
}

/// tracing-subscriber's JSON line with the correlation ids of the enclosing request first.
pub struct CorrelatedJson {
    inner: Format<Json>,
}

impl Default for CorrelatedJson {
    fn default() -> Self {
        Self {
            inner: tracing_subscriber::fmt::format().json(),
        }
    }
}

impl<S, N> FormatEvent<S, N> for CorrelatedJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut line = String::new();
        self.inner
            .format_event(ctx, Writer::new(&mut line), event)?;
        let ids = correlation_ids(ctx);
        match line.strip_prefix('{') {
            Some(rest) if !ids.is_empty() => {
                let ids = Value::Object(ids).to_string();
                // `{"request_id":…}` + `,` + the rest of the line without its opening brace.
                let ids = ids.strip_suffix('}').unwrap_or(&ids);
                let separator = if rest.starts_with('}') { "" } else { "," };
                write!(writer, "{ids}{separator}{rest}")
            }
            _ => writer.write_str(&line),
        }
    }
}

/// The ids of the outermost span of the event's scope that carries a `request_id`.
fn correlation_ids<S, N>(ctx: &FmtContext<'_, S, N>) -> Map<String, Value>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    let mut ids = Map::new();
    let Some(scope) = ctx.event_scope() else {
        return ids;
    };
    for span in scope.from_root() {
        let extensions = span.extensions();
        let Some(fields) = extensions.get::<FormattedFields<N>>() else {
            continue;
        };
        let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(&fields.fields) else {
            continue;
        };
        if !fields.contains_key(CORRELATION_FIELDS[0]) {
            continue;
        }
        for name in CORRELATION_FIELDS {
            if let Some(value) = fields.remove(name) {
                ids.insert(name.to_owned(), value);
            }
        }
        break;
    }
    ids
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing::field::Empty;
    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn lines(buffer: &Buffer) -> Vec<Value> {
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    #[test]
    fn json_lines_of_a_request_carry_its_request_and_trace_ids_at_the_top() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber =
            tracing_subscriber::registry().with(layer(LogFormat::Json, move || writer.clone()));

        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("before any request");
            let root = tracing::info_span!("HTTP request", request_id = "r-1", trace_id = Empty);
            root.record("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            let _request = root.enter();
            let _query = tracing::info_span!("db.resources.list", tenant.id = "t").entered();
            tracing::warn!(detail = "x", "inside a request");
        });

        let lines = lines(&buffer);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].get("request_id").is_none());
        assert_eq!(lines[0]["fields"]["message"], "before any request");
        assert_eq!(lines[1]["request_id"], "r-1");
        assert_eq!(lines[1]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(lines[1]["fields"]["message"], "inside a request");
        assert_eq!(lines[1]["span"]["name"], "db.resources.list");
    }

    #[actix_web::test]
    async fn a_request_continuing_a_callers_trace_logs_the_callers_trace_id() {
        use actix_web::{App, HttpResponse, test, web};

        use crate::telemetry::root_span::ScimRootSpan;

        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber =
            tracing_subscriber::registry().with(layer(LogFormat::Json, move || writer.clone()));
        let _default = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(tracing_actix_web::TracingLogger::<ScimRootSpan>::new())
                .route(
                    "/t/{tenant}/scim/v2/Users",
                    web::get().to(|| async {
                        tracing::warn!("inside the handler");
                        HttpResponse::Ok().finish()
                    }),
                ),
        )
        .await;

        let request = test::TestRequest::get()
            .uri("/t/acme/scim/v2/Users?filter=userName%20eq%20%22turing%22")
            .insert_header((
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ))
            .to_request();
        let response = test::call_service(&app, request).await;

        assert!(response.status().is_success());
        let lines = lines(&buffer);
        let line = lines
            .iter()
            .find(|l| l["fields"]["message"] == "inside the handler")
            .unwrap();
        assert_eq!(line["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(line["request_id"].as_str().unwrap().len(), 36);
        let span = &line["span"];
        assert_eq!(span["http.route"], "/t/{tenant}/scim/v2/Users");
        assert_eq!(span["scim.operation"], "list");
        // "turing" cannot occur in a hex id, so finding it means the query leaked.
        assert!(!line.to_string().contains("turing"), "{line}");
    }
}
