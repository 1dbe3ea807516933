//! A row filter naming a resource's relations (`groupFilter` on `members`, `userFilter` on
//! `groups`) judges each write's result with its complete resulting relations, hidden members
//! included, as a listing would: a write that keeps the resource inside the rows succeeds, one
//! that takes it out is 403.

use serde_json::{Value, json};

use super::{id, member_ids, token_with};
use crate::helpers::{
    TestApp, TestTenant, USER_SCHEMA, assert_scim_error, group, patch_op, spawn_app, status_json,
};

/// Users `boss`, `u-x`, `u-y` (their ids, in that order) and group `team` of boss and u-x.
async fn arrange() -> (TestApp, TestTenant, Vec<String>, String) {
    let app = spawn_app().await;
    let operator = app.tenant("acme").await;
    let mut users = Vec::new();
    for name in ["boss", "u-x", "u-y"] {
        users.push(id(&app.create_user(&operator, name).await));
    }
    let team = id(&app
        .create_group(&operator, "team", &[&users[0], &users[1]])
        .await);
    (app, operator, users, team)
}

fn rename(value: &str) -> Value {
    json!([{"op": "replace", "path": "displayName", "value": value}])
}

#[tokio::test]
async fn writes_keeping_a_hidden_member_the_filter_names_stay_inside_the_rows() {
    // Arrange: the caller sees groups with `boss` in them but not boss itself.
    let (app, operator, users, team) = arrange().await;
    let caller = token_with(
        &app,
        &operator,
        json!({
            "userFilter": "userName sw \"u-\"",
            "groupFilter": format!("members.value eq \"{}\"", users[0]),
        }),
    )
    .await;
    let path = format!("/Groups/{team}");

    // Act
    let (renamed, body) =
        status_json(app.patch_request(&caller, &path, &patch_op(rename("crew")))).await;
    let (cleared, _) = status_json(app.patch_request(
        &caller,
        &path,
        &patch_op(json!([{"op": "remove", "path": "members"}])),
    ))
    .await;
    let after_clear = member_ids(&app, &operator, &path).await;
    let (replaced, put) =
        status_json(app.put_request(&caller, &path, &group("crew", &[&users[2]]))).await;

    // Assert
    assert_eq!(renamed, 204, "{body}");
    assert_eq!(cleared, 204);
    assert_eq!(after_clear, [users[0].clone()].into());
    assert_eq!(replaced, 200, "{put}");
    assert_eq!(
        member_ids(&app, &operator, &path).await,
        [users[0].clone(), users[2].clone()].into()
    );
}

#[tokio::test]
async fn writes_dropping_the_member_the_filter_names_are_forbidden() {
    // Arrange: the caller sees every user, and groups with `u-x` in them.
    let (app, operator, users, team) = arrange().await;
    let caller = token_with(
        &app,
        &operator,
        json!({
            "groupFilter": format!("members.value eq \"{}\"", users[1]),
        }),
    )
    .await;
    let path = format!("/Groups/{team}");
    let remove_x = json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", users[1])}]);
    let replace_y = json!([{"op": "replace", "path": "members", "value": [{"value": users[2]}]}]);
    let add_y = json!([{"op": "add", "path": "members", "value": [{"value": users[2]}]}]);

    // Act
    let removing = app.patch(&caller, &path, remove_x).await;
    let replacing = app.patch(&caller, &path, replace_y).await;
    let clearing = app
        .patch(&caller, &path, json!([{"op": "remove", "path": "members"}]))
        .await;
    let by_type = app
        .patch(
            &caller,
            &path,
            json!([{"op": "remove", "path": "members[type eq \"User\"]"}]),
        )
        .await;
    let putting = app.put(&caller, &path, &group("team", &[&users[2]])).await;
    let (adding, body) = status_json(app.patch_request(&caller, &path, &patch_op(add_y))).await;

    // Assert
    assert_scim_error(removing, 403, None).await;
    assert_scim_error(replacing, 403, None).await;
    assert_scim_error(clearing, 403, None).await;
    assert_scim_error(by_type, 403, None).await;
    assert_scim_error(putting, 403, None).await;
    assert_eq!(adding, 204, "{body}");
    assert_eq!(
        member_ids(&app, &operator, &path).await,
        users.iter().cloned().collect()
    );
}

#[tokio::test]
async fn a_created_group_is_judged_with_its_members_as_stored() {
    // Arrange: groups of groups; the client does not send each member's `type`.
    let (app, operator, users, team) = arrange().await;
    let caller = token_with(
        &app,
        &operator,
        json!({"groupFilter": "members[type eq \"Group\"] or displayName eq \"team\""}),
    )
    .await;

    // Act
    let (nested, body) =
        status_json(app.post_request(&caller, "/Groups", &group("org", &[&team]))).await;
    let of_users = app
        .post(&caller, "/Groups", &group("flat", &[&users[1]]))
        .await;

    // Assert
    assert_eq!(nested, 201, "{body}");
    assert_scim_error(of_users, 403, None).await;
}

#[tokio::test]
async fn user_writes_are_judged_with_the_users_groups() {
    // Arrange: the caller sees the members of `team`.
    let (app, operator, users, team) = arrange().await;
    let caller = token_with(
        &app,
        &operator,
        json!({
            "userFilter": format!("groups.value eq \"{team}\""),
        }),
    )
    .await;
    let boss = format!("/Users/{}", users[0]);
    let outsider = format!("/Users/{}", users[2]);
    let put = json!({"schemas": [USER_SCHEMA], "userName": "u-x", "displayName": "X"});

    // Act
    let (patched, body) =
        status_json(app.patch_request(&caller, &boss, &patch_op(rename("Boss")))).await;
    let (replaced, put_body) =
        status_json(app.put_request(&caller, &format!("/Users/{}", users[1]), &put)).await;
    let hidden = app.patch(&caller, &outsider, rename("Y")).await;
    let (created, _) = status_json(app.post_request(
        &caller,
        "/Users",
        &json!({"schemas": [USER_SCHEMA], "userName": "u-z"}),
    ))
    .await;

    // Assert
    assert_eq!(patched, 200, "{body}");
    assert_eq!(replaced, 200, "{put_body}");
    assert_scim_error(hidden, 404, None).await;
    assert_eq!(created, 403, "a new user belongs to no group");
}
