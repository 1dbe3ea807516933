//! The same member rules over Bulk, whose operations run the same use cases.

use serde_json::{Value, json};

use super::{group_of, members_seen, set, world};
use crate::helpers::{bulk, patch_op, spawn_app, status_json};

fn statuses(body: &Value) -> Vec<&str> {
    body["Operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["status"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn bulk_member_writes_keep_members_outside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let shared = format!("/Groups/{}", w.id("shared"));
    let (a1, a2, b1) = (w.id("a1"), w.id("a2"), w.id("b1"));
    let request = bulk(json!([
        {"method": "PATCH", "path": shared, "data": patch_op(json!([
            {"op": "remove", "path": format!("members[value eq \"{b1}\"]")}]))},
        {"method": "POST", "path": "/Groups", "bulkId": "mixed",
         "data": group_of("a-mixed", &[a1, b1])},
        {"method": "PATCH", "path": shared, "data": patch_op(json!([
            {"op": "replace", "path": "members", "value": [{"value": a2}]}]))},
        {"method": "PUT", "path": shared, "data": group_of("shared", &[a1])},
    ]));

    // Act
    let (status, body) = status_json(app.post_request(&w.a, "/Bulk", &request)).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(statuses(&body), ["400", "400", "200", "200"], "{body}");
    assert_eq!(
        members_seen(&app, &w, &w.operator, "shared").await,
        set(&["a1", "b1", "b-team"])
    );
    assert_eq!(members_seen(&app, &w, &w.a, "shared").await, set(&["a1"]));
    assert_eq!(
        members_seen(&app, &w, &w.b, "shared").await,
        set(&["b1", "b-team"])
    );
}
