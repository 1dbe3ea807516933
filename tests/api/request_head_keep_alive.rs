//! A request head past actix-http's ceilings that is not the first on its keep-alive connection
//! gets the same SCIM 414 or 431 as a first one, after the answers to the requests before it,
//! whether it waits for them or is pipelined behind them, and whatever bodies they carry.

use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::helpers::raw_http::{Raw, connect, get, pipeline, post_user, read_one, scrape_metrics};
use crate::helpers::{TestTenant, USER_SCHEMA, spawn_tenant};

/// A 70 KB filter: past the 65 534 bytes actix-http's URI type holds.
fn uri_past_the_ceiling(tenant: &TestTenant) -> Vec<u8> {
    let filter = format!("/Users?filter=userName%20eq%20%22{}%22", "a".repeat(70_000));
    get(tenant, &filter, "")
}

/// 200 KiB of header fields: past actix-http's 128 KiB head buffer.
fn headers_past_the_ceiling(tenant: &TestTenant) -> Vec<u8> {
    let padding: String = (0..50)
        .map(|i| format!("x-pad-{i}: {}\r\n", "p".repeat(4000)))
        .collect();
    get(tenant, "/Users", &padding)
}

fn user_json(name: &str) -> Vec<u8> {
    format!(r#"{{"schemas":["{USER_SCHEMA}"],"userName":"{name}"}}"#).into_bytes()
}

/// The SCIM error a refused head gets, which closes the connection.
fn assert_refused(answer: &Raw, status: u16) {
    assert_eq!(answer.status, status, "{}", answer.head);
    assert!(answer.head.contains("connection: close"), "{}", answer.head);
    let body = answer.scim_error();
    if status == 414 {
        let detail = body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("POST .search"), "detail: {detail}");
    }
}

/// A user created by the first request, the second refused, then the close.
fn assert_created_then_refused(answers: &[Raw], status: u16) {
    assert_eq!(answers.len(), 2, "two answers, then the close");
    let created = &answers[0];
    let body = String::from_utf8_lossy(&created.body);
    assert_eq!(created.status, 201, "{body}");
    assert_refused(&answers[1], status);
}

#[tokio::test]
async fn a_uri_past_the_ceiling_after_an_answered_request_is_a_scim_414_counted() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let mut stream = connect(&app).await;
    stream
        .write_all(&get(&acme, "/Users", ""))
        .await
        .expect("sent");
    let listed = read_one(&mut stream).await;

    // Act: the second request on the same connection, once the first is answered.
    let answers = pipeline(stream, uri_past_the_ceiling(&acme)).await;

    // Assert
    assert_eq!(listed.status, 200, "{}", listed.head);
    assert_eq!(answers.len(), 1, "one answer, then the close");
    assert_refused(&answers[0], 414);
    let metrics = scrape_metrics(&app).await;
    let counted = r#"http_server_requests_total{http_request_method="GET",http_response_status_code="414",http_route="unmatched""#;
    let line = metrics.lines().find(|line| line.starts_with(counted));
    assert!(
        line.is_some_and(|line| line.ends_with(" 1")),
        "counted once: {metrics}"
    );
}

#[tokio::test]
async fn a_header_block_past_the_ceiling_pipelined_behind_a_request_is_a_scim_431_in_order() {
    // Arrange: both requests written at once.
    let (app, acme) = spawn_tenant("acme").await;
    let requests = [get(&acme, "/Users", ""), headers_past_the_ceiling(&acme)].concat();

    // Act
    let answers = pipeline(connect(&app).await, requests).await;

    // Assert
    assert_eq!(answers.len(), 2, "two answers, then the close");
    assert_eq!(answers[0].status, 200, "{}", answers[0].head);
    let list: Value = serde_json::from_slice(&answers[0].body).expect("JSON list");
    assert_eq!(list["totalResults"], 0);
    assert_refused(&answers[1], 431);
}

#[tokio::test]
async fn a_uri_past_the_ceiling_behind_a_content_length_body_is_a_scim_414() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let user = user_json("kim");
    let length = format!("Content-Length: {}\r\n", user.len());
    let requests = [
        post_user(&acme, &length, &user),
        uri_past_the_ceiling(&acme),
    ]
    .concat();

    // Act
    let answers = pipeline(connect(&app).await, requests).await;

    // Assert
    assert_created_then_refused(&answers, 414);
}

#[tokio::test]
async fn too_many_header_fields_behind_a_chunked_body_with_a_trailer_are_a_scim_431() {
    // Arrange: the user in two chunks (one with an extension), then a trailer field; then
    // more header fields than actix-http parses.
    let (app, acme) = spawn_tenant("acme").await;
    let user = user_json("lee");
    let (first, second) = user.split_at(10);
    let body = [
        format!("{:x};note=first\r\n", first.len()).as_bytes(),
        first,
        format!("\r\n{:X}\r\n", second.len()).as_bytes(),
        second,
        b"\r\n0\r\nx-checksum: 1\r\n\r\n",
    ]
    .concat();
    let many: String = (0..120).map(|i| format!("x-{i}: 1\r\n")).collect();
    let requests = [
        post_user(&acme, "Transfer-Encoding: chunked\r\n", &body),
        get(&acme, "/Users", &many),
    ]
    .concat();

    // Act
    let answers = pipeline(connect(&app).await, requests).await;

    // Assert
    assert_created_then_refused(&answers, 431);
}

#[tokio::test]
async fn a_body_that_reads_like_an_oversized_head_stays_the_body_it_is() {
    // Arrange: a Content-Length body whose bytes would be a head over the 16 KiB URI limit,
    // if they were taken for one; then a request that must still be served on the same
    // connection.
    let (app, acme) = spawn_tenant("acme").await;
    let filter = format!("/Users?filter=userName%20eq%20%22{}%22", "a".repeat(20_000));
    let lookalike = get(&acme, &filter, "");
    let length = format!("Content-Length: {}\r\n", lookalike.len());
    let requests = [
        post_user(&acme, &length, &lookalike),
        get(&acme, "/Users", "Connection: close\r\n"),
    ]
    .concat();

    // Act
    let answers = pipeline(connect(&app).await, requests).await;

    // Assert: the body is refused as the JSON it is not, and the connection serves on.
    assert_eq!(answers.len(), 2, "two answers, then the close");
    assert_eq!(answers[0].status, 400, "{}", answers[0].head);
    let body = answers[0].scim_error();
    assert_eq!(body["scimType"], "invalidSyntax", "{body}");
    assert_eq!(answers[1].status, 200, "{}", answers[1].head);
}
