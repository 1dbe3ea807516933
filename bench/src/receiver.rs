//! The webhook receiver the event scenarios register: a minimal HTTP/1.1 server on
//! 127.0.0.1:0 inside the bench process that answers every POST with 204 and records when it
//! arrived, on which path (one path per registered endpoint) and its `webhook-id`. Hand-written
//! on tokio so the bench needs no HTTP server crate; it only has to understand what the
//! server's webhook client sends (keep-alive requests with a `Content-Length` body).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Largest body accepted: far above any event, small enough that a broken client cannot make
/// the bench allocate without bound.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One delivery as it reached the receiver.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub at: Instant,
    pub path: String,
    pub webhook_id: String,
}

/// The running receiver; dropping it stops accepting connections.
pub struct Receiver {
    /// `http://127.0.0.1:<port>`; endpoints are registered as `{origin}/hooks/<name>`.
    pub origin: String,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    accept: JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Receiver {
    pub async fn start() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the webhook receiver")?;
        let origin = format!("http://{}", listener.local_addr()?);
        let arrivals: Arc<Mutex<Vec<Arrival>>> = Arc::default();
        let log = arrivals.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = log.clone();
                // A connection that breaks ends only itself; the sender retries its delivery.
                tokio::spawn(async move {
                    let _ = serve(stream, log).await;
                });
            }
        });
        Ok(Self {
            origin,
            arrivals,
            accept,
        })
    }

    /// The URL to register for the endpoint `name`.
    pub fn url(&self, name: &str) -> String {
        format!("{}/hooks/{name}", self.origin)
    }

    /// Every arrival so far on the paths of endpoints whose name starts with `prefix`, in
    /// arrival order.
    pub fn arrivals(&self, prefix: &str) -> Vec<Arrival> {
        let prefix = format!("/hooks/{prefix}");
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|a| a.path.starts_with(&prefix))
            .cloned()
            .collect()
    }
}

/// Answers the requests of one keep-alive connection until the client closes it.
async fn serve(stream: TcpStream, log: Arc<Mutex<Vec<Arrival>>>) -> anyhow::Result<()> {
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let at = Instant::now();
        let path = line
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let (mut length, mut webhook_id) = (0usize, String::new());
        loop {
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().context("a malformed Content-Length")?;
                } else if name.eq_ignore_ascii_case("webhook-id") {
                    webhook_id = value.to_owned();
                }
            }
        }
        anyhow::ensure!(length <= MAX_BODY, "a body of {length} bytes");
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await?;
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arrival {
                at,
                path,
                webhook_id,
            });
        stream
            .get_mut()
            .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .await?;
    }
}
