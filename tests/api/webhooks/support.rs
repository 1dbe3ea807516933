//! Registering endpoints and running the dispatcher for the webhook tests.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_KEY, TestApp};

/// Registers `url` for tenant `slug` as the operator; returns the answer (with the secret).
pub async fn register(app: &TestApp, slug: &str, body: Value) -> Value {
    let response = app
        .operator(Method::POST, &format!("/tenants/{slug}/webhooks"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

pub fn endpoint(url: &str) -> Value {
    json!({ "url": url })
}

/// `{method} /admin/v1/tenants/{slug}/webhooks{rest}` as the operator.
pub async fn operator(
    app: &TestApp,
    method: reqwest::Method,
    slug: &str,
    rest: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(
            method,
            format!("{}/admin/v1/tenants/{slug}/webhooks{rest}", app.origin),
        )
        .bearer_auth(ADMIN_KEY);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}
