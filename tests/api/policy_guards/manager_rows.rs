//! A caller restricted by `userFilter` may name as a User's manager only a user it may see: a
//! hidden one is refused exactly like an id that names no user (400 `invalidValue`, same
//! detail), so the answer does not tell whether the hidden user exists. Callers without a
//! policy, and managers already set, are not affected.

use reqwest::Response;
use serde_json::{Value, json};

use super::{id, token_with};
use crate::helpers::{
    ENTERPRISE, TestApp, TestTenant, USER_SCHEMA, assert_scim_error, patch_op, spawn_app,
    status_json,
};

fn org_user(user_name: &str, org: &str, manager: Option<&str>) -> Value {
    let mut extension = json!({"organization": org});
    if let Some(manager) = manager {
        extension["manager"] = json!({"value": manager});
    }
    json!({"schemas": [USER_SCHEMA, ENTERPRISE], "userName": user_name, ENTERPRISE: extension})
}

fn set_manager(manager: &str) -> Value {
    json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager.value"), "value": manager}])
}

/// Users a1, a2 (org `a`), b1 (org `b`), and a caller seeing org `a` only.
async fn arrange(app: &TestApp) -> (TestTenant, TestTenant, [String; 3]) {
    let operator = app.tenant("acme").await;
    let mut ids = Vec::new();
    for (name, org) in [("a1", "a"), ("a2", "a"), ("b1", "b")] {
        let (status, user) =
            status_json(app.post_request(&operator, "/Users", &org_user(name, org, None))).await;
        assert_eq!(status, 201, "{user}");
        ids.push(id(&user));
    }
    let caller = token_with(
        app,
        &operator,
        json!({
            "userFilter": format!("{ENTERPRISE}:organization eq \"a\""),
        }),
    )
    .await;
    (
        operator,
        caller,
        [ids[0].clone(), ids[1].clone(), ids[2].clone()],
    )
}

/// The error detail with `id` replaced, to compare answers about different ids.
async fn refusal(response: Response, id: &str) -> String {
    let body = assert_scim_error(response, 400, Some("invalidValue")).await;
    body["detail"].as_str().unwrap().replace(id, "<id>")
}

#[tokio::test]
async fn a_hidden_manager_is_refused_like_one_that_does_not_exist() {
    // Arrange
    let app = spawn_app().await;
    let (operator, caller, [a1, _, b1]) = arrange(&app).await;
    let nobody = uuid::Uuid::now_v7().to_string();
    let a1_path = format!("/Users/{a1}");

    // Act
    let post_hidden = app
        .post(&caller, "/Users", &org_user("a3", "a", Some(&b1)))
        .await;
    let post_nobody = app
        .post(&caller, "/Users", &org_user("a3", "a", Some(&nobody)))
        .await;
    let put_hidden = app
        .put(&caller, &a1_path, &org_user("a1", "a", Some(&b1)))
        .await;
    let patch_hidden = app.patch(&caller, &a1_path, set_manager(&b1)).await;

    // Assert
    let expected = refusal(post_nobody, &nobody).await;
    assert_eq!(refusal(post_hidden, &b1).await, expected);
    assert_eq!(refusal(put_hidden, &b1).await, expected);
    assert_eq!(refusal(patch_hidden, &b1).await, expected);
    let (_, stored) = status_json(app.get_request(&operator, &a1_path)).await;
    assert!(stored[ENTERPRISE].get("manager").is_none(), "{stored}");
}

#[tokio::test]
async fn a_visible_manager_is_accepted_and_unrestricted_callers_are_unchanged() {
    // Arrange
    let app = spawn_app().await;
    let (operator, caller, [a1, a2, b1]) = arrange(&app).await;
    let a1_path = format!("/Users/{a1}");

    // Act
    let (visible, body) =
        status_json(app.patch_request(&caller, &a1_path, &patch_op(set_manager(&a2)))).await;
    let (by_operator, op_body) =
        status_json(app.patch_request(&operator, &a1_path, &patch_op(set_manager(&b1)))).await;
    // A hidden manager already set is not checked again on the caller's later writes.
    let (later, later_body) = status_json(app.patch_request(
        &caller,
        &a1_path,
        &patch_op(json!([{"op": "replace", "path": "displayName", "value": "A One"}])),
    ))
    .await;

    // Assert
    assert_eq!(visible, 200, "{body}");
    assert_eq!(by_operator, 200, "{op_body}");
    assert_eq!(later, 200, "{later_body}");
    assert_eq!(later_body[ENTERPRISE]["manager"]["value"], b1.as_str());
}
