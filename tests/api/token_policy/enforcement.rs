//! An opaque token's policy on reads, writes, `.search` and Bulk.

use serde_json::json;

use super::support::{assert_unreadable_absent, org_path, partner_user, patch_user, story};
use crate::helpers::{
    ENTERPRISE, SEARCH_REQUEST, assert_scim_error, bulk, bulk_statuses, patch_op, spawn_app,
    status_json, users_in,
};

#[tokio::test]
async fn an_opaque_token_reads_only_its_rows_and_readable_attributes() {
    // Arrange
    let app = spawn_app().await;
    let s = story(&app).await;

    // Act
    let (listed, list) = status_json(app.get_request(&s.partner, "/Users")).await;
    let (got, mine) = status_json(app.get_request(&s.partner, &format!("/Users/{}", s.a_id))).await;
    let theirs = app.get(&s.partner, &format!("/Users/{}", s.b_id)).await;
    let by_email = app.get(&s.partner, "/Users?filter=emails%20pr").await;

    // Assert
    assert_eq!(listed, 200, "{list}");
    assert_eq!(list["totalResults"], 1, "{list}");
    assert_eq!(list["Resources"][0]["userName"], "a1");
    assert_unreadable_absent(&list["Resources"][0]);
    assert_eq!(got, 200, "{mine}");
    assert_eq!(mine["title"], "Engineer", "readable attributes are shown");
    assert_eq!(mine[ENTERPRISE]["organization"], "partner-a");
    assert_unreadable_absent(&mine);
    assert_scim_error(theirs, 404, None).await;
    assert_scim_error(by_email, 403, None).await;
}

#[tokio::test]
async fn an_opaque_token_writes_only_writable_attributes_inside_its_rows() {
    // Arrange
    let app = spawn_app().await;
    let s = story(&app).await;

    // Act
    let title = patch_user(
        &app,
        &s.partner,
        &s.a_id,
        json!({"op": "replace", "path": "title", "value": "Boss"}),
    )
    .send()
    .await
    .unwrap();
    let move_out = patch_user(
        &app,
        &s.partner,
        &s.a_id,
        json!({"op": "replace", "path": org_path(), "value": "partner-b"}),
    )
    .send()
    .await
    .unwrap();
    let theirs = patch_user(
        &app,
        &s.partner,
        &s.b_id,
        json!({"op": "replace", "path": "active", "value": false}),
    )
    .send()
    .await
    .unwrap();
    let (renamed, _) = status_json(patch_user(
        &app,
        &s.partner,
        &s.a_id,
        json!({"op": "replace", "path": "name.givenName", "value": "Grace"}),
    ))
    .await;
    let outside = app
        .post(&s.partner, "/Users", &partner_user("x1", "partner-b"))
        .await;
    let (inside, _) =
        status_json(app.post_request(&s.partner, "/Users", &partner_user("a2", "partner-a"))).await;

    // Assert
    assert_scim_error(title, 403, None).await;
    assert_scim_error(move_out, 403, None).await;
    assert_scim_error(theirs, 404, None).await;
    assert_scim_error(outside, 403, None).await;
    assert_eq!((renamed, inside), (200, 201));
    let (_, stored) =
        status_json(app.get_request(&s.operator, &format!("/Users/{}", s.a_id))).await;
    assert_eq!(stored["title"], "Engineer");
    assert_eq!(stored["name"]["givenName"], "Grace");
    assert_eq!(stored[ENTERPRISE]["organization"], "partner-a");
    let (_, b_now) = status_json(app.get_request(&s.operator, &format!("/Users/{}", s.b_id))).await;
    assert_eq!(b_now["active"], true);
}

#[tokio::test]
async fn search_and_bulk_apply_an_opaque_tokens_policy() {
    // Arrange
    let app = spawn_app().await;
    let s = story(&app).await;

    // Act
    let (_, search) = status_json(app.post_request(
        &s.partner,
        "/Users/.search",
        &json!({"schemas": [SEARCH_REQUEST]}),
    ))
    .await;
    let (_, root) = status_json(app.post_request(
        &s.partner,
        "/.search",
        &json!({"schemas": [SEARCH_REQUEST]}),
    ))
    .await;
    let (_, bulk) = status_json(app.post_request(
        &s.partner,
        "/Bulk",
        &bulk(json!([
            {"method": "POST", "path": "/Users", "bulkId": "in", "data": partner_user("bulk-a", "partner-a")},
            {"method": "POST", "path": "/Users", "bulkId": "out", "data": partner_user("bulk-b", "partner-b")},
            {"method": "PATCH", "path": format!("/Users/{}", s.a_id), "data": patch_op(json!([{"op": "replace", "path": "title", "value": "Boss"}]))},
            {"method": "DELETE", "path": format!("/Users/{}", s.b_id)},
        ])),
    ))
    .await;

    // Assert
    assert_eq!(search["totalResults"], 1, "{search}");
    assert_unreadable_absent(&search["Resources"][0]);
    let users = users_in(&root);
    assert_eq!(users.len(), 1, "{root}");
    assert_eq!(users[0]["userName"], "a1");
    let statuses = bulk_statuses(&bulk);
    assert_eq!(statuses, ["201", "403", "403", "404"], "{bulk}");
}
