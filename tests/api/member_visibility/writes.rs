//! Member writes by a partner: naming a member outside its rows is 400 `invalidValue` worded
//! as for a member that does not exist (member or not), and
//! clearing or replacing a member list, by PATCH or PUT, keeps the members it cannot see.

use serde_json::json;

use super::{group_of, members_seen, related, set, world};
use crate::helpers::{assert_scim_error, patch_op, spawn_app, status_json};

#[tokio::test]
async fn removing_a_member_outside_the_rows_is_forbidden() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let shared = format!("/Groups/{}", w.id("shared"));
    let (b1, b2) = (w.id("b1"), w.id("b2"));

    // Act
    let by_filter = app
        .patch(
            &w.a,
            &shared,
            json!([{"op": "remove", "path": format!("members[value eq \"{b1}\"]")}]),
        )
        .await;
    let by_value = app
        .patch(
            &w.a,
            &shared,
            json!([{"op": "remove", "path": "members", "value": [{"value": b1}]}]),
        )
        .await;
    let not_a_member = app
        .patch(
            &w.a,
            &shared,
            json!([{"op": "remove", "path": format!("members[value eq \"{b2}\"]")}]),
        )
        .await;
    let adding = app
        .patch(
            &w.a,
            &shared,
            json!([{"op": "add", "path": "members", "value": [{"value": b2}]}]),
        )
        .await;

    // Assert
    let missing = uuid::Uuid::now_v7();
    let nonexistent = app
        .patch(
            &w.a,
            &shared,
            json!([{"op": "add", "path": "members", "value": [{"value": missing}]}]),
        )
        .await;
    let unknown = assert_scim_error(nonexistent, 400, Some("invalidValue")).await;
    let worded_as_missing = |detail: &serde_json::Value, id: &str| {
        detail["detail"].as_str().unwrap().replace(id, "<id>")
            == unknown["detail"]
                .as_str()
                .unwrap()
                .replace(&missing.to_string(), "<id>")
    };
    for (response, id) in [
        (by_filter, &b1),
        (by_value, &b1),
        (not_a_member, &b2),
        (adding, &b2),
    ] {
        let body = assert_scim_error(response, 400, Some("invalidValue")).await;
        assert!(worded_as_missing(&body, id), "{body} vs {unknown}");
    }
    assert_eq!(
        members_seen(&app, &w, &w.operator, "shared").await,
        set(&["a1", "b1", "a-team", "b-team"])
    );
}

#[tokio::test]
async fn removing_all_members_keeps_those_outside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let shared = format!("/Groups/{}", w.id("shared"));

    // Act
    let (status, body) = status_json(app.patch_request(
        &w.a,
        &shared,
        &patch_op(json!([{"op": "remove", "path": "members"}])),
    ))
    .await;

    // Assert
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        members_seen(&app, &w, &w.operator, "shared").await,
        set(&["b1", "b-team"])
    );
    assert!(members_seen(&app, &w, &w.a, "shared").await.is_empty());
}

#[tokio::test]
async fn replacing_members_keeps_those_outside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let shared = format!("/Groups/{}", w.id("shared"));
    let replace =
        |id: &str| json!([{"op": "replace", "path": "members", "value": [{"value": id}]}]);

    // Act
    let (by_a, _) =
        status_json(app.patch_request(&w.a, &shared, &patch_op(replace(w.id("a2"))))).await;
    let after_a = members_seen(&app, &w, &w.operator, "shared").await;
    let (by_b, _) =
        status_json(app.patch_request(&w.b, &shared, &patch_op(replace(w.id("b2"))))).await;

    // Assert
    assert_eq!(by_a, 204);
    assert_eq!(after_a, set(&["a2", "b1", "b-team"]));
    assert_eq!(by_b, 204);
    assert_eq!(
        members_seen(&app, &w, &w.operator, "shared").await,
        set(&["a2", "b2"])
    );
}

#[tokio::test]
async fn removing_members_by_filter_touches_only_those_inside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let shared = format!("/Groups/{}?attributes=members", w.id("shared"));

    // Act
    let (status, shown) = status_json(app.patch_request(
        &w.a,
        &shared,
        &patch_op(json!([{"op": "remove", "path": "members[type eq \"Group\"]"}])),
    ))
    .await;

    // Assert
    assert_eq!(status, 200, "{shown}");
    assert_eq!(w.names(related(&shown, "members")), set(&["a1"]), "{shown}");
    assert_eq!(
        members_seen(&app, &w, &w.operator, "shared").await,
        set(&["a1", "b1", "b-team"])
    );
}

#[tokio::test]
async fn put_replaces_only_the_members_inside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let shared = format!("/Groups/{}", w.id("shared"));

    // Act
    let (status, replaced) = status_json(app.put_request(
        &w.a,
        &shared,
        &group_of("shared", &[w.id("a2"), w.id("a1")]),
    ))
    .await;
    let naming_hidden = app
        .put(
            &w.a,
            &shared,
            &group_of("shared", &[w.id("a2"), w.id("b1")]),
        )
        .await;

    // Assert
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(
        w.names(related(&replaced, "members")),
        set(&["a1", "a2"]),
        "{replaced}"
    );
    assert_scim_error(naming_hidden, 400, Some("invalidValue")).await;
    assert_eq!(
        members_seen(&app, &w, &w.operator, "shared").await,
        set(&["a1", "a2", "b1", "b-team"])
    );
}
