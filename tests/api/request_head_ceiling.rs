//! Request heads past what actix-http parses at all (a URI over 65 534 bytes, a head over
//! 128 KiB) still get SCIM errors, not its bodiless 400 or 431. Sent over raw TCP: HTTP client
//! libraries refuse to send such requests, or hide what came back.

use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::helpers::raw_http::{Raw, connect, get, pipeline, post_user, read_one, scrape_metrics};
use crate::helpers::{TestApp, spawn_app, spawn_tenant};

/// The one answer to `request` on a new connection, which the server then closes.
async fn only_answer(app: &TestApp, request: Vec<u8>) -> Raw {
    let mut answers = pipeline(connect(app).await, request).await;
    assert_eq!(answers.len(), 1, "one answer, then the close");
    answers.remove(0)
}

#[tokio::test]
async fn a_70_kb_filter_in_the_uri_is_a_scim_414_pointing_to_search_and_counted() {
    // Arrange: past the 65 534 bytes actix-http's URI type holds.
    let (app, acme) = spawn_tenant("acme").await;
    let filter = format!("/Users?filter=userName%20eq%20%22{}%22", "a".repeat(70_000));

    // Act
    let answer = only_answer(&app, get(&acme, &filter, "")).await;

    // Assert
    assert_eq!(answer.status, 414, "{}", answer.head);
    assert!(answer.head.contains("connection: close"), "{}", answer.head);
    let body = answer.scim_error();
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("POST .search"), "detail: {detail}");
    let metrics = scrape_metrics(&app).await;
    let counted = r#"http_server_requests_total{http_request_method="GET",http_response_status_code="414",http_route="unmatched""#;
    assert!(metrics.contains(counted), "{metrics}");
}

#[tokio::test]
async fn a_200_kib_header_block_is_a_scim_431_and_the_server_serves_on() {
    // Arrange: past actix-http's 128 KiB head buffer.
    let (app, acme) = spawn_tenant("acme").await;
    let padding: String = (0..50)
        .map(|i| format!("x-pad-{i}: {}\r\n", "p".repeat(4000)))
        .collect();

    // Act
    let answer = only_answer(&app, get(&acme, "/Users", &padding)).await;
    let afterwards = app.get(&acme, "/Users").await;

    // Assert
    assert_eq!(answer.status, 431, "{}", answer.head);
    answer.scim_error();
    assert_eq!(afterwards.status(), 200);
}

#[tokio::test]
async fn more_header_fields_than_actix_parses_are_a_scim_431() {
    let (app, acme) = spawn_tenant("acme").await;
    let many: String = (0..120).map(|i| format!("x-{i}: 1\r\n")).collect();

    let answer = only_answer(&app, get(&acme, "/Users", &many)).await;

    assert_eq!(answer.status, 431, "{}", answer.head);
    answer.scim_error();
}

#[tokio::test]
async fn requests_within_the_limits_keep_their_bytes_and_their_connection() {
    // Arrange: a POST whose body arrives with its head, then a GET on the same connection.
    let (app, acme) = spawn_tenant("acme").await;
    let user = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"kim"}"#;
    let post = post_user(
        &acme,
        &format!("Content-Length: {}\r\n", user.len()),
        user.as_bytes(),
    );
    let mut stream = connect(&app).await;

    // Act
    stream.write_all(&post).await.expect("sent");
    let created = read_one(&mut stream).await;
    stream
        .write_all(&get(&acme, "/Users?filter=userName%20eq%20%22kim%22", ""))
        .await
        .expect("sent");
    let listed = read_one(&mut stream).await;

    // Assert
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    assert_eq!(listed.status, 200);
    let list: Value = serde_json::from_slice(&listed.body).expect("JSON list");
    assert_eq!(list["totalResults"], 1);
}

#[tokio::test]
async fn a_head_that_never_completes_gets_a_408_when_the_request_timeout_ends() {
    let app = spawn_app().await;
    let mut stream = connect(&app).await;

    stream
        .write_all(b"GET /scim/v2/Users HTTP/1.1\r\nHo")
        .await
        .expect("sent");
    let answer = tokio::time::timeout(Duration::from_secs(8), read_one(&mut stream))
        .await
        .expect("answered within the 5 s request timeout");

    assert_eq!(answer.status, 408, "{}", answer.head);
    answer.scim_error();
}
