//! What the lifecycle tests share: setting a tenant's policy, reading its archive, and
//! restoring through the operator API.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Sets `slug`'s policy to a soft delete kept `days` days, through the operator API.
pub async fn soft_delete(app: &TestApp, slug: &str, days: u32) {
    put_policy(
        app,
        slug,
        &json!({"deletion": "soft", "retentionDays": days}),
    )
    .await;
}

/// Sets `slug`'s whole policy to `body` through the operator API, which must answer it back.
pub async fn put_policy(app: &TestApp, slug: &str, body: &Value) {
    let (status, answer) = app
        .operator_json(
            Method::PUT,
            &format!("/tenants/{slug}/lifecycle"),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "setting the policy: {answer}");
    assert_eq!(&answer, body);
}

/// The ids in `slug`'s archive, newest deletion first.
pub async fn archived_ids(app: &TestApp, slug: &str) -> Vec<String> {
    let archive = app.operator_get(&format!("/tenants/{slug}/archive")).await;
    archive["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Restores `id` of `slug` through the operator API: status and body.
pub async fn restore(app: &TestApp, slug: &str, id: &str) -> (u16, Value) {
    app.operator_json(
        Method::POST,
        &format!("/tenants/{slug}/archive/{id}/restore"),
        None,
    )
    .await
}
