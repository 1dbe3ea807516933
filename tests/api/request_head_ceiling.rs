//! Request heads past what actix-http parses at all (a URI over 65 534 bytes, a head over
//! 128 KiB) still get SCIM errors, not its bodiless 400 or 431. Sent over raw TCP: HTTP client
//! libraries refuse to send such requests, or hide what came back.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{ERROR_SCHEMA, TestApp, TestTenant, spawn_app};

/// A response as read off the wire: status, lower-cased head, body.
struct Raw {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Raw {
    fn scim_error(&self) -> Value {
        assert!(
            self.head.contains("content-type: application/scim+json"),
            "{}",
            self.head
        );
        let body: Value = serde_json::from_slice(&self.body).expect("JSON error body");
        assert_eq!(body["schemas"][0], ERROR_SCHEMA);
        assert_eq!(body["status"], self.status.to_string());
        body
    }
}

/// Sends `request` while reading the answer (the server may answer before it has read all),
/// and returns the first response; the connection is then closed by the server or dropped.
async fn exchange(app: &TestApp, request: Vec<u8>) -> Raw {
    let stream = TcpStream::connect(app.origin.trim_start_matches("http://"))
        .await
        .expect("connects");
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        // A refused client may see its writes fail once the server closes: that is expected.
        let _ = writer.write_all(&request).await;
        writer
    });
    let read = tokio::time::timeout(Duration::from_secs(10), read_one(&mut reader));
    let raw = read.await.expect("a response within 10 s");
    drop(sending);
    raw
}

/// One complete response at the start of `bytes`, sized by its Content-Length.
fn parse(bytes: &[u8]) -> Option<Raw> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..end]).to_lowercase();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .map_or(Some(0), |n| n.trim().parse().ok())?;
    let body = bytes.get(end + 4..end + 4 + length)?.to_vec();
    Some(Raw { status, head, body })
}

fn get(tenant: &TestTenant, target: &str, extra: &str) -> Vec<u8> {
    format!(
        "GET /t/{}/scim/v2{target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n{extra}\r\n",
        tenant.slug, tenant.token
    )
    .into_bytes()
}

#[tokio::test]
async fn a_70_kb_filter_in_the_uri_is_a_scim_414_pointing_to_search_and_counted() {
    // Arrange: past the 65 534 bytes actix-http's URI type holds.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let filter = format!("/Users?filter=userName%20eq%20%22{}%22", "a".repeat(70_000));

    // Act
    let answer = exchange(&app, get(&acme, &filter, "")).await;

    // Assert
    assert_eq!(answer.status, 414, "{}", answer.head);
    assert!(answer.head.contains("connection: close"), "{}", answer.head);
    let body = answer.scim_error();
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("POST .search"), "detail: {detail}");
    let metrics = app
        .client
        .get(format!("{}/metrics", app.origin))
        .send()
        .await
        .expect("request sent")
        .text()
        .await
        .expect("metrics text");
    let counted = r#"http_server_requests_total{http_request_method="GET",http_response_status_code="414",http_route="unmatched""#;
    assert!(metrics.contains(counted), "{metrics}");
}

#[tokio::test]
async fn a_200_kib_header_block_is_a_scim_431_and_the_server_serves_on() {
    // Arrange: past actix-http's 128 KiB head buffer.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let padding: String = (0..50)
        .map(|i| format!("x-pad-{i}: {}\r\n", "p".repeat(4000)))
        .collect();

    // Act
    let answer = exchange(&app, get(&acme, "/Users", &padding)).await;
    let afterwards = app.get(&acme, "/Users").await;

    // Assert
    assert_eq!(answer.status, 431, "{}", answer.head);
    answer.scim_error();
    assert_eq!(afterwards.status(), 200);
}

#[tokio::test]
async fn more_header_fields_than_actix_parses_are_a_scim_431() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let many: String = (0..120).map(|i| format!("x-{i}: 1\r\n")).collect();

    let answer = exchange(&app, get(&acme, "/Users", &many)).await;

    assert_eq!(answer.status, 431, "{}", answer.head);
    answer.scim_error();
}

#[tokio::test]
async fn requests_within_the_limits_keep_their_bytes_and_their_connection() {
    // Arrange: a POST whose body arrives with its head, then a GET on the same connection.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let user = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"kim"}"#;
    let post = format!(
        "POST /t/{}/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/scim+json\r\nContent-Length: {}\r\n\r\n{user}",
        acme.slug,
        acme.token,
        user.len()
    );
    let mut stream = TcpStream::connect(app.origin.trim_start_matches("http://"))
        .await
        .expect("connects");

    // Act
    stream.write_all(post.as_bytes()).await.expect("sent");
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
    let mut stream = TcpStream::connect(app.origin.trim_start_matches("http://"))
        .await
        .expect("connects");

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

async fn read_one(stream: &mut (impl AsyncRead + Unpin)) -> Raw {
    let mut received = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        if let Some(raw) = parse(&received) {
            return raw;
        }
        let n = stream.read(&mut chunk).await.expect("reads");
        assert!(n > 0, "closed before a whole response: {received:?}");
        received.extend_from_slice(&chunk[..n]);
    }
}
