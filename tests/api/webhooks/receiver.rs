//! A webhook receiver on 127.0.0.1 that records every request and answers the statuses a
//! test scripts (then 200), and a signature check written apart from scimgate's.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::helpers::counterpart::serve;

#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub content_type: String,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

#[derive(Default)]
struct State {
    scripted: Mutex<VecDeque<u16>>,
    received: Mutex<Vec<Received>>,
    /// How long each answer is held back: a receiver that hangs.
    delay: Mutex<Duration>,
}

pub struct Receiver {
    pub url: String,
    state: Arc<State>,
}

async fn receive(req: HttpRequest, body: String, state: web::Data<State>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    state.received.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        content_type: header("content-type"),
        body,
    });
    let status = state.scripted.lock().unwrap().pop_front().unwrap_or(200);
    let delay = *state.delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl Receiver {
    pub async fn start() -> Self {
        let state = Arc::new(State::default());
        let port = serve(state.clone(), 2, |routes| {
            routes.route("/hook", web::post().to(receive));
        });
        Self {
            url: format!("http://127.0.0.1:{port}/hook"),
            state,
        }
    }

    /// The next answers, in order; 200 after them.
    pub fn script(&self, statuses: &[u16]) {
        self.state.scripted.lock().unwrap().extend(statuses);
    }

    /// Holds every answer back by `delay` from now on.
    pub fn hang(&self, delay: Duration) {
        *self.state.delay.lock().unwrap() = delay;
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// Waits until `n` requests arrived (or fails after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let received = self.received();
            if received.len() >= n {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "expected {n} deliveries, got {}: {received:?}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Whether one of the `v1,` signatures is the HMAC-SHA256 of `{id}.{timestamp}.{body}` under
/// the `whsec_` secret (Standard Webhooks 1.0), computed with aws-lc directly.
pub fn signed_with(received: &Received, secret: &str) -> bool {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap();
    let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
    let content = format!("{}.{}.{}", received.id, received.timestamp, received.body);
    let expected = STANDARD.encode(hmac::sign(&key, content.as_bytes()).as_ref());
    received
        .signature
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}
