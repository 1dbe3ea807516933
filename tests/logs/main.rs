//! What a request writes to the log: client errors (4xx) below INFO and without the values a
//! client sent (a 409 on `userName` must not write the userName, which is personal data, and
//! no client can fill the error log), server errors (5xx) at ERROR with their cause chain.
//! A binary of its own: the subscriber capturing the lines is process-wide.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests measure real time (expiry, TTLs) as a client would.
#![allow(clippy::disallowed_methods)]

#[allow(dead_code, unused_imports)]
#[path = "../api/helpers/mod.rs"]
mod helpers;

use std::io;
use std::sync::{Arc, Mutex, OnceLock};

use helpers::{assert_scim_error, spawn_app, user};
use scimgate_api::telemetry::log_format;
use sea_orm::ConnectionTrait;
use serde_json::Value;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Every JSON log line written so far, in the format `SCIMGATE_LOG_FORMAT=json` writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs the capturing subscriber once, at DEBUG so that what sits below INFO is seen too.
fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        tracing_subscriber::registry()
            .with(
                log_format::layer(log_format::LogFormat::Json, captured.clone())
                    .with_filter(LevelFilter::DEBUG),
            )
            .init();
        captured
    })
}

/// The lines written so far, parsed, with their raw text.
fn lines() -> Vec<(Value, String)> {
    let bytes = captured().0.lock().unwrap().clone();
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(|line| {
            (
                serde_json::from_str(line).unwrap_or(Value::Null),
                line.to_owned(),
            )
        })
        .collect()
}

fn level(line: &Value) -> &str {
    line["level"].as_str().unwrap_or_default()
}

fn at_info_or_above(line: &Value) -> bool {
    matches!(level(line), "INFO" | "WARN" | "ERROR")
}

#[tokio::test]
async fn a_uniqueness_conflict_logs_no_user_name_at_info_or_above_and_no_error() {
    // Arrange
    captured();
    let app = spawn_app().await;
    let tenant = app.tenant("logs-conflict").await;
    let user_name = "ada.lovelace-pii-7f3c";
    app.create_user(&tenant, user_name).await;

    // Act
    let again = app.post(&tenant, "/Users", &user(user_name)).await;

    // Assert
    assert_scim_error(again, 409, Some("uniqueness")).await;
    let lines = lines();
    let leaks: Vec<&String> = lines
        .iter()
        .filter(|(line, raw)| at_info_or_above(line) && raw.contains(user_name))
        .map(|(_, raw)| raw)
        .collect();
    assert!(leaks.is_empty(), "the userName reached the log: {leaks:#?}");
    let alarms: Vec<&String> = lines
        .iter()
        .filter(|(line, raw)| {
            matches!(level(line), "WARN" | "ERROR") && raw.contains("logs-conflict")
        })
        .map(|(_, raw)| raw)
        .collect();
    assert!(
        alarms.is_empty(),
        "a client error logged as an alarm: {alarms:#?}"
    );
    let refused = lines
        .iter()
        .find(|(line, raw)| {
            line["fields"]["message"] == "request refused"
                && line["fields"]["status"] == 409
                && raw.contains("logs-conflict")
        })
        .unwrap_or_else(|| panic!("no DEBUG line for the 409"));
    assert_eq!(level(&refused.0), "DEBUG");
    assert_eq!(refused.0["fields"]["scim_type"], "uniqueness");
    assert!(!refused.1.contains(user_name), "{}", refused.1);
}

#[tokio::test]
async fn a_server_error_is_logged_at_error_with_its_cause_chain() {
    // Arrange
    captured();
    let app = spawn_app().await;
    let tenant = app.tenant("logs-outage").await;
    app.db
        .execute_unprepared("ALTER TABLE resources RENAME TO resources_away")
        .await
        .unwrap();

    // Act
    let response = app.get(&tenant, "/Users").await;

    // Assert
    assert_scim_error(response, 503, None).await;
    let lines = lines();
    let failure = lines
        .iter()
        .find(|(line, raw)| level(line) == "ERROR" && raw.contains("logs-outage"))
        .unwrap_or_else(|| panic!("no ERROR line for the 503"));
    assert_eq!(failure.0["fields"]["message"], "request failed");
    let chain = failure.0["fields"]["error"].as_str().unwrap_or_default();
    assert!(
        chain.starts_with("storage failure: ") && chain.contains("resources"),
        "the cause chain down to the database: {chain}"
    );
}
