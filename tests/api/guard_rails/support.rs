//! Setting a tenant's guard rails, and sending a Bulk request.

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, bulk};
use crate::lifecycle::support::put_policy;

/// Sets `slug`'s policy: hard delete with `rails` (`verifiedDomains`, `seatLimit`).
pub async fn set_rails(app: &TestApp, slug: &str, rails: Value) {
    let mut body = json!({"deletion": "hard"});
    if let (Some(body), Some(rails)) = (body.as_object_mut(), rails.as_object()) {
        body.extend(rails.clone());
    }
    put_policy(app, slug, &body).await;
}

/// The BulkResponse to `operations` (a JSON array).
pub async fn bulk_answer(app: &TestApp, tenant: &TestTenant, operations: Value) -> Value {
    app.post(tenant, "/Bulk", &bulk(operations))
        .await
        .json()
        .await
        .unwrap()
}
