//! HTTP/1.1 over a raw TCP stream, for requests that HTTP client libraries refuse to send (heads
//! past the server's ceilings, pipelined requests) and for answers they would hide.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{ERROR_SCHEMA, TestApp, TestTenant};

/// A response as read off the wire: status, lower-cased head, body.
pub struct Raw {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Raw {
    /// The body as a SCIM error of this response's status.
    pub fn scim_error(&self) -> Value {
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

pub async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.origin.trim_start_matches("http://"))
        .await
        .expect("connects")
}

/// `GET` of `target` under the tenant's SCIM base, with `extra` header lines.
pub fn get(tenant: &TestTenant, target: &str, extra: &str) -> Vec<u8> {
    format!(
        "GET /t/{}/scim/v2{target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n{extra}\r\n",
        tenant.slug, tenant.token
    )
    .into_bytes()
}

/// `POST /Users` with `extra` header lines and `body` as sent.
pub fn post_user(tenant: &TestTenant, extra: &str, body: &[u8]) -> Vec<u8> {
    let head = format!(
        "POST /t/{}/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/scim+json\r\n{extra}\r\n",
        tenant.slug, tenant.token
    );
    [head.as_bytes(), body].concat()
}

/// Writes `requests` on `stream` in one go while reading every response until the server
/// closes the connection; fails if it does not close it within 10 s.
pub async fn pipeline(stream: TcpStream, requests: Vec<u8>) -> Vec<Raw> {
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        let _ = writer.write_all(&requests).await;
        writer
    });
    let read = tokio::time::timeout(Duration::from_secs(10), read_until_closed(&mut reader));
    let answers = read.await.expect("the server closes within 10 s");
    drop(sending);
    answers
}

/// One complete response at the start of `bytes`, sized by its Content-Length, and its length.
fn parse(bytes: &[u8]) -> Option<(Raw, usize)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..end]).to_lowercase();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .map_or(Some(0), |n| n.trim().parse().ok())?;
    let body = bytes.get(end + 4..end + 4 + length)?.to_vec();
    Some((Raw { status, head, body }, end + 4 + length))
}

/// The next response on `stream`; bytes after it are dropped.
pub async fn read_one(stream: &mut (impl AsyncRead + Unpin)) -> Raw {
    let mut received = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        if let Some((raw, _)) = parse(&received) {
            return raw;
        }
        let n = stream.read(&mut chunk).await.expect("reads");
        assert!(n > 0, "closed before a whole response: {received:?}");
        received.extend_from_slice(&chunk[..n]);
    }
}

/// Every response until the server closes; a partial response at the close fails.
async fn read_until_closed(stream: &mut (impl AsyncRead + Unpin)) -> Vec<Raw> {
    let mut received = Vec::new();
    stream
        .read_to_end(&mut received)
        .await
        .expect("reads until the server closes");
    let mut answers = Vec::new();
    let mut at = 0;
    while at < received.len() {
        let Some((raw, len)) = parse(&received[at..]) else {
            panic!(
                "not a whole response: {:?}",
                String::from_utf8_lossy(&received[at..])
            );
        };
        answers.push(raw);
        at += len;
    }
    answers
}

/// The app's `/metrics` text.
pub async fn scrape_metrics(app: &TestApp) -> String {
    app.client
        .get(format!("{}/metrics", app.origin))
        .send()
        .await
        .expect("request sent")
        .text()
        .await
        .expect("metrics text")
}
