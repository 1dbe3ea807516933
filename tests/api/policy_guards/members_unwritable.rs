//! A caller whose `writable` omits `members`: a PUT (alone or in Bulk) keeps the group's
//! members as stored when it does not send them, accepts them sent unchanged, and refuses a
//! different list (403), as it treats any other unwritable attribute; a POST naming members
//! is refused like a POST setting any other unwritable attribute.

use serde_json::json;

use super::{id, ids, member_ids, token_with};
use crate::helpers::{
    GROUP_SCHEMA, TestApp, TestTenant, assert_scim_error, bulk, group, spawn_app, status_json,
};

/// Tenant `acme` with users u1, u2, u3, group `eng` of u1 and u2, and a caller that may write
/// only `displayName`.
async fn arrange() -> (TestApp, TestTenant, TestTenant, Vec<String>, String) {
    let app = spawn_app().await;
    let operator = app.tenant("acme").await;
    let mut users = Vec::new();
    for name in ["u1", "u2", "u3"] {
        users.push(id(&app.create_user(&operator, name).await));
    }
    let eng = id(&app
        .create_group(&operator, "eng", &[&users[0], &users[1]])
        .await);
    let caller = token_with(&app, &operator, json!({"writable": ["displayName"]})).await;
    (app, operator, caller, users, format!("/Groups/{eng}"))
}

#[tokio::test]
async fn put_without_members_keeps_the_stored_members() {
    // Arrange
    let (app, operator, caller, users, eng) = arrange().await;
    let renamed = json!({"schemas": [GROUP_SCHEMA], "displayName": "engineering"});

    // Act
    let (status, body) = status_json(app.put_request(&caller, &eng, &renamed)).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["displayName"], "engineering");
    assert_eq!(
        ids(&body["members"]),
        ids(&json!([{"value": users[0]}, {"value": users[1]}]))
    );
    assert_eq!(
        member_ids(&app, &operator, &eng).await,
        [users[0].clone(), users[1].clone()].into()
    );
}

#[tokio::test]
async fn put_sending_the_same_members_is_accepted_and_different_ones_refused() {
    // Arrange
    let (app, operator, caller, users, eng) = arrange().await;
    let (_, read) = status_json(app.get_request(&caller, &eng)).await;
    let mut same = read.clone();
    same["displayName"] = json!("engineering");
    same["members"].as_array_mut().unwrap().reverse();

    // Act
    let (unchanged, body) = status_json(app.put_request(&caller, &eng, &same)).await;
    let dropped = app.put(&caller, &eng, &group("eng", &[&users[0]])).await;
    let added = app
        .put(
            &caller,
            &eng,
            &group("eng", &[&users[0], &users[1], &users[2]]),
        )
        .await;

    // Assert
    assert_eq!(unchanged, 200, "{body}");
    assert_scim_error(dropped, 403, None).await;
    assert_scim_error(added, 403, None).await;
    assert_eq!(
        member_ids(&app, &operator, &eng).await,
        [users[0].clone(), users[1].clone()].into()
    );
}

#[tokio::test]
async fn post_with_members_is_refused_and_without_them_allowed() {
    // Arrange
    let (app, _, caller, users, _) = arrange().await;

    // Act
    let with_members = app
        .post(&caller, "/Groups", &group("ops", &[&users[2]]))
        .await;
    let (without, body) =
        status_json(app.post_request(&caller, "/Groups", &group("ops", &[]))).await;

    // Assert
    assert_scim_error(with_members, 403, None).await;
    assert_eq!(without, 201, "{body}");
}

#[tokio::test]
async fn bulk_put_without_members_keeps_the_stored_members() {
    // Arrange
    let (app, operator, caller, users, eng) = arrange().await;
    let request = bulk(json!([
        {"method": "PUT", "path": eng,
         "data": {"schemas": [GROUP_SCHEMA], "displayName": "engineering"}},
        {"method": "PUT", "path": eng, "data": group("eng", &[&users[2]])},
    ]));

    // Act
    let (status, body) = status_json(app.post_request(&caller, "/Bulk", &request)).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Operations"][0]["status"], "200", "{body}");
    assert_eq!(body["Operations"][1]["status"], "403", "{body}");
    assert_eq!(
        member_ids(&app, &operator, &eng).await,
        [users[0].clone(), users[1].clone()].into()
    );
}
