//! What the events tests share: an events reader token and reading a tenant's events.

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, json_ok};

/// A token of `tenant` that may read its events (and nothing else).
pub async fn reader(app: &TestApp, tenant: &TestTenant) -> String {
    issue(
        app,
        tenant,
        json!({"name": "events", "scopes": ["scim:events:read"]}),
    )
    .await
}

/// Issues a token through the operator's admin API and returns its secret.
pub async fn issue(app: &TestApp, tenant: &TestTenant, request: Value) -> String {
    app.token_for(tenant, &request).await.token
}

/// `GET /t/{slug}/events?{query}` with `token`.
pub async fn fetch(app: &TestApp, slug: &str, token: &str, query: &str) -> Response {
    let url = format!("{}/t/{slug}/events?{query}", app.origin);
    app.get_url(&url, Some(token)).await
}

/// One page of the tenant's events, asserting a 2xx.
pub async fn page(app: &TestApp, slug: &str, token: &str, query: &str) -> Value {
    json_ok(fetch(app, slug, token, query).await).await
}

/// Every event of the tenant, reading page by page.
pub async fn all_events(app: &TestApp, slug: &str, token: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut query = "limit=3".to_owned();
    loop {
        let response = fetch(app, slug, token, &query).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        events.extend(page["events"].as_array().unwrap().iter().cloned());
        let next = page["nextCursor"].as_str().unwrap().to_owned();
        if !page["hasMore"].as_bool().unwrap() {
            return events;
        }
        query = format!("limit=3&after={next}");
    }
}

/// The event types in order.
pub fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

pub use crate::helpers::id;
