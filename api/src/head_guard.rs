//! Every request head of every connection is read here before actix-http sees a byte of it,
//! so that heads past actix-http's fixed ceilings (a URI over 65 534 bytes, a head over
//! 128 KiB, more than 96 header fields) get a SCIM 414 or 431 instead of its bodiless 400 or
//! 431, which it sends before any middleware could run. The configured `HeadLimits` apply here
//! as in `head_limits::enforce`; a head within them is handed on, bytes unchanged.
//!
//! The first head is read by `HeadGuard::admit`, which answers a refusal itself (nothing else
//! has been written yet) and a head that does not arrive in time with a 408. Later heads are
//! read by `Guarded` as actix-http reads the connection: it frames each request as actix-http
//! does (`framing`), holds each head back until it is judged, and hands actix-http a stand-in
//! request in place of a refused one (`stand_in`), which the app answers in order. Where the
//! framing is in doubt it stops, and actix-http reads the rest as it always has.

mod framing;
mod guarded;
pub mod scan;
pub mod stand_in;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use scimgate_domain::ports::Clock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout, timeout_at};

pub use self::guarded::Guarded;
use self::scan::{Verdict, scan};
use crate::error::ApiError;
use crate::head_limits::HeadLimits;
use crate::scim_json::SCIM_CONTENT_TYPE;
use crate::telemetry::metrics::{Metrics, RequestOutcome};
use crate::telemetry::root_span::{UNMATCHED_ROUTE, method_label};

/// Bytes asked of the socket per read: a typical head arrives in one.
const READ_CHUNK: usize = 8 * 1024;
/// After a refusal, how much of what the client still sends is read and dropped, so that
/// closing does not reset the connection before the client has read the answer.
const DRAIN_BYTES: usize = 1024 * 1024;

/// The most of a head held before it is refused: a head within the limits plus a read or two
/// (the scan refuses a head as soon as it is over them).
fn head_cap(limits: &HeadLimits) -> usize {
    limits.max_uri_bytes() + limits.max_header_bytes() + 2 * READ_CHUNK
}

#[derive(Clone)]
pub struct HeadGuard {
    pub limits: HeadLimits,
    /// actix-http's client request timeout: the whole first head must arrive within it.
    pub request_timeout: Duration,
    /// actix-http's client disconnect timeout: how long a refused client is drained.
    pub disconnect_timeout: Duration,
    /// For the `Date` of the answers written here.
    pub clock: Arc<dyn Clock>,
    /// Refusals are counted with the app's requests (route `unmatched`: none was routed).
    pub metrics: Arc<Metrics>,
}

/// What became of a connection's first head.
pub enum Admitted {
    /// Within the limits: the connection, its bytes so far to be read again, later heads
    /// to be read as they come.
    Serve(Guarded<TcpStream>, Option<SocketAddr>),
    /// Refused, timed out or closed; nothing is left to do.
    Done,
}

impl HeadGuard {
    pub async fn admit(&self, mut stream: TcpStream) -> Admitted {
        let peer = stream.peer_addr().ok();
        let started = Instant::now();
        let deadline = started + self.request_timeout;
        let cap = head_cap(&self.limits);
        let mut head = Vec::with_capacity(READ_CHUNK);
        loop {
            let verdict = scan(&head, &self.limits);
            let refusal = match verdict {
                Verdict::Pass => {
                    let guarded = Guarded::new(head, stream, self.limits, self.disconnect_timeout);
                    return Admitted::Serve(guarded, peer);
                }
                Verdict::Incomplete if head.len() < cap => None,
                Verdict::UriTooLong => Some(ApiError::UriTooLong(self.limits.max_uri_bytes())),
                Verdict::Incomplete | Verdict::HeadersTooLarge => {
                    Some(ApiError::HeadersTooLarge(self.limits.max_header_bytes()))
                }
            };
            if let Some(refusal) = refusal {
                self.refuse(stream, &refusal, &head, started).await;
                return Admitted::Done;
            }
            // Into spare capacity, no zeroing; exact, so `cap + READ_CHUNK` bounds the buffer.
            head.reserve_exact(READ_CHUNK);
            let read = timeout_at(deadline, stream.read_buf(&mut head)).await;
            match read {
                Ok(Ok(n)) if n > 0 => {}
                // A client that closed or failed mid-head has no one left to answer.
                Ok(Ok(_) | Err(_)) => return Admitted::Done,
                // What actix-http's head timer does: 408, then close.
                Err(_elapsed) => {
                    let waited = ApiError::RequestTimeout(self.request_timeout);
                    self.refuse(stream, &waited, &head, started).await;
                    return Admitted::Done;
                }
            }
        }
    }

    /// Answers with the SCIM error and closes, reading what the client still sends for a while
    /// so that the close does not reset the connection under the answer.
    async fn refuse(&self, mut stream: TcpStream, error: &ApiError, head: &[u8], since: Instant) {
        let (status, answer) = render(error, self.clock.now());
        let method = head.split(|&b| b == b' ').next().unwrap_or_default();
        self.metrics.record_request(&RequestOutcome {
            route: UNMATCHED_ROUTE,
            method: Method::from_bytes(method).map_or("_OTHER", |m| method_label(&m)),
            status,
            tenant: None,
            elapsed: since.elapsed(),
        });
        let sent = timeout(self.disconnect_timeout, async {
            stream.write_all(&answer).await?;
            stream.shutdown().await
        })
        .await;
        if !matches!(sent, Ok(Ok(()))) {
            return;
        }
        let _ = timeout(self.disconnect_timeout, drain(&mut stream)).await;
    }
}

async fn drain(stream: &mut TcpStream) -> io::Result<()> {
    let mut scratch = vec![0u8; READ_CHUNK];
    let mut total = 0;
    while total < DRAIN_BYTES {
        match stream.read(&mut scratch).await? {
            0 => break,
            n => total += n,
        }
    }
    Ok(())
}

/// The whole HTTP/1.1 response: a SCIM error body, and `Connection: close`, since the rest of
/// what the client sent is never read as requests.
fn render(error: &ApiError, now: DateTime<Utc>) -> (StatusCode, Vec<u8>) {
    let (status, body) = error.scim_body();
    let body = body.to_string();
    let date = now.format("%a, %d %b %Y %H:%M:%S GMT");
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {SCIM_CONTENT_TYPE}\r\ncontent-length: {}\r\n\
         connection: close\r\ndate: {date}\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
    );
    let mut out = head.into_bytes();
    out.extend_from_slice(body.as_bytes());
    (status, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_a_complete_scim_error_response() {
        let (status, answer) = render(&ApiError::UriTooLong(16_384), DateTime::UNIX_EPOCH);
        assert_eq!(status, StatusCode::URI_TOO_LONG);
        let answer = String::from_utf8(answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains("connection: close"), "{head}");
        assert!(
            head.contains("date: Thu, 01 Jan 1970 00:00:00 GMT"),
            "{head}"
        );
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["status"], "414");
        assert!(body["detail"].as_str().unwrap().contains("POST .search"));
    }
}
