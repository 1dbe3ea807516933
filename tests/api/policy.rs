//! Policies attached to OAuth clients: a partner sees and writes only its own rows and the
//! attributes its policy lists, over plain HTTP, `.search` and Bulk alike.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    ENTERPRISE, SEARCH_REQUEST, TestApp, TestTenant, USER_SCHEMA, assert_scim_error, bulk,
    bulk_statuses, id, json_ok, org_path, org_row_filter, patch_op, path_of, spawn_app,
    spawn_tenant, users_in,
};
use crate::oauth::support::{TestClient, as_client};

fn partner_policy() -> Value {
    json!({
        "userFilter": org_row_filter(),
        "readable": ["userName", "name", "emails", org_path(), "active"],
        "writable": ["userName", "name", "emails", "active", org_path()],
    })
}

/// A user of `org` with a `title` the partner may neither read nor write.
pub(crate) fn org_user(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "title": "Secret title",
        "active": true,
        ENTERPRISE: {"organization": org, "department": "Hidden"},
    })
}

/// What a partner may send: no `title`, no department.
fn partner_user(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        "active": true,
        ENTERPRISE: {"organization": org},
    })
}

/// The operator creates tenant `acme` and a client with the partner policy through the admin
/// API; the partner trades its credentials for a JWT at `/oauth/token`. Returns the
/// operator's tenant (opaque full-access token) and the partner's.
pub(crate) async fn partner_story(app: &TestApp, claims: Value) -> (TestTenant, TestTenant) {
    let operator = app.tenant("acme").await;
    let body = json!({"name": "partner-a", "claims": claims, "policy": partner_policy()});
    let (status, created) = app
        .operator_json(Method::POST, "/tenants/acme/clients", Some(&body))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["policy"], partner_policy(), "{created}");
    let partner = as_client(app, &operator, &TestClient::from_created(&created)).await;
    (operator, partner)
}

pub(crate) async fn create(app: &TestApp, tenant: &TestTenant, body: &Value) -> Value {
    app.create_at(tenant, "/Users", body).await
}

pub(crate) fn assert_no_unreadable(resource: &Value) {
    assert!(resource.get("title").is_none(), "{resource}");
    assert!(resource.get("displayName").is_none(), "{resource}");
    if let Some(ext) = resource.get(ENTERPRISE) {
        assert!(ext.get("department").is_none(), "{resource}");
    }
}

#[tokio::test]
async fn partner_creates_users_only_inside_its_rows() {
    // Arrange
    let app = spawn_app().await;
    let (operator, partner) = partner_story(&app, json!({"org": "partner-a"})).await;

    // Act
    let inside = app
        .post(&partner, "/Users", &partner_user("mine", "partner-a"))
        .await;
    let outside = app
        .post(&partner, "/Users", &partner_user("theirs", "partner-b"))
        .await;
    let with_title = app
        .post(&partner, "/Users", &org_user("titled", "partner-a"))
        .await;

    // Assert
    assert_eq!(inside.status(), 201);
    assert_no_unreadable(&inside.json().await.unwrap());
    assert_scim_error(outside, 403, None).await;
    assert_scim_error(with_title, 403, None).await;
    let all: Value = app.get_json(&operator, "/Users").await;
    assert_eq!(all["totalResults"], 1, "{all}");
}

#[tokio::test]
async fn partner_reads_only_its_rows_and_readable_attributes() {
    // Arrange
    let app = spawn_app().await;
    let (operator, partner) = partner_story(&app, json!({"org": "partner-a"})).await;
    let a = create(&app, &operator, &org_user("a1", "partner-a")).await;
    let b = create(&app, &operator, &org_user("b1", "partner-b")).await;
    let b_id = b["id"].as_str().unwrap();

    // Act
    let list: Value = app.get_json(&partner, "/Users").await;
    let mine = app
        .get(&partner, &format!("/Users/{}", a["id"].as_str().unwrap()))
        .await;
    let theirs = app.get(&partner, &format!("/Users/{b_id}")).await;
    let delete_theirs = app.delete(&partner, &format!("/Users/{b_id}")).await;

    // Assert
    assert_eq!(list["totalResults"], 1, "{list}");
    let resources = list["Resources"].as_array().unwrap();
    assert_eq!(resources[0]["userName"], "a1");
    resources.iter().for_each(assert_no_unreadable);
    assert_eq!(mine.status(), 200);
    let mine: Value = mine.json().await.unwrap();
    assert_no_unreadable(&mine);
    assert_eq!(mine[ENTERPRISE]["organization"], "partner-a");
    assert_scim_error(theirs, 404, None).await;
    assert_scim_error(delete_theirs, 404, None).await;
}

#[tokio::test]
async fn partner_cannot_move_a_user_out_or_write_unwritable_attributes() {
    // Arrange
    let app = spawn_app().await;
    let (operator, partner) = partner_story(&app, json!({"org": "partner-a"})).await;
    let a = create(&app, &operator, &org_user("a1", "partner-a")).await;
    let id = a["id"].as_str().unwrap();

    // Act
    let move_out = app
        .patch(
            &partner,
            &format!("/Users/{}", id),
            json!([{"op": "replace", "path": org_path(), "value": "partner-b"}]),
        )
        .await;
    let title = app
        .patch(
            &partner,
            &format!("/Users/{}", id),
            json!([{"op": "replace", "path": "title", "value": "x"}]),
        )
        .await;
    let rename = app
        .patch(
            &partner,
            &format!("/Users/{}", id),
            json!([{"op": "replace", "path": "userName", "value": "a2"}]),
        )
        .await;
    let put_title = app
        .put(
            &partner,
            &format!("/Users/{id}"),
            &json!({"schemas": [USER_SCHEMA], "userName": "a3", "title": "Other"}),
        )
        .await;
    let put_visible = app
        .put(
            &partner,
            &format!("/Users/{id}"),
            &partner_user("a4", "partner-a"),
        )
        .await;

    // Assert
    assert_scim_error(move_out, 403, None).await;
    assert_scim_error(title, 403, None).await;
    assert_scim_error(put_title, 403, None).await;
    assert_eq!(rename.status(), 200);
    assert_eq!(put_visible.status(), 200);
    let stored: Value = app.get_json(&operator, &format!("/Users/{id}")).await;
    assert_eq!(stored["userName"], "a4");
    assert_eq!(
        stored["title"], "Secret title",
        "a PUT keeps what the partner cannot write"
    );
    assert_eq!(stored[ENTERPRISE]["department"], "Hidden");
    assert_eq!(stored[ENTERPRISE]["organization"], "partner-a");
}

#[tokio::test]
async fn filters_and_sorting_on_unreadable_attributes_are_forbidden() {
    // Arrange
    let app = spawn_app().await;
    let (_, partner) = partner_story(&app, json!({"org": "partner-a"})).await;

    // Act
    let filter = app
        .get(&partner, "/Users?filter=title%20eq%20%22x%22")
        .await;
    let sort = app.get(&partner, "/Users?sortBy=title").await;
    let search = app
        .post(
            &partner,
            "/Users/.search",
            &json!({"schemas": [SEARCH_REQUEST], "filter": "userName pr or title eq \"x\""}),
        )
        .await;
    let readable = app
        .get(&partner, "/Users?filter=userName%20pr&sortBy=userName")
        .await;

    // Assert
    assert_scim_error(filter, 403, None).await;
    assert_scim_error(sort, 403, None).await;
    assert_scim_error(search, 403, None).await;
    assert_eq!(readable.status(), 200);
}

#[tokio::test]
async fn search_and_bulk_apply_the_same_policy() {
    // Arrange
    let app = spawn_app().await;
    let (operator, partner) = partner_story(&app, json!({"org": "partner-a"})).await;
    create(&app, &operator, &org_user("a1", "partner-a")).await;
    let b = create(&app, &operator, &org_user("b1", "partner-b")).await;
    let b_id = b["id"].as_str().unwrap();

    // Act
    let search: Value = app
        .post_json(
            &partner,
            "/Users/.search",
            &json!({"schemas": [SEARCH_REQUEST]}),
        )
        .await;
    let root: Value = app
        .post_json(&partner, "/.search", &json!({"schemas": [SEARCH_REQUEST]}))
        .await;
    let bulk: Value = app.post_json(&partner, "/Bulk", &bulk(json!([ {"method": "POST", "path": "/Users", "bulkId": "in", "data": partner_user("bulk-a", "partner-a")}, {"method": "POST", "path": "/Users", "bulkId": "out", "data": partner_user("bulk-b", "partner-b")}, {"method": "PATCH", "path": format!("/Users/{b_id}"), "data": patch_op(json!([{"op": "replace", "path": "active", "value": false}]))}, {"method": "DELETE", "path": format!("/Users/{b_id}")}, ]))).await;

    // Assert
    assert_eq!(search["totalResults"], 1, "{search}");
    search["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .for_each(assert_no_unreadable);
    let users = users_in(&root);
    assert_eq!(users.len(), 1, "{root}");
    users.into_iter().for_each(assert_no_unreadable);
    let statuses = bulk_statuses(&bulk);
    assert_eq!(statuses, ["201", "403", "404", "404"], "{bulk}");
    let b_now: Value = app.get_json(&operator, &format!("/Users/{b_id}")).await;
    assert_eq!(b_now["active"], true);
}

#[tokio::test]
async fn a_policy_claim_the_token_lacks_refuses_instead_of_unfiltering() {
    // Arrange
    let app = spawn_app().await;
    let (operator, partner) = partner_story(&app, json!({"team": "x"})).await;
    create(&app, &operator, &org_user("a1", "partner-a")).await;

    // Act
    let list = app.get(&partner, "/Users").await;

    // Assert
    assert_scim_error(list, 403, None).await;
}

#[tokio::test]
async fn a_policy_that_does_not_parse_is_refused_at_creation() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;

    // Act
    let clients = "/tenants/acme/clients";
    let bad_filter = json!({"policy": {"userFilter": "shoeSize gt \"{{claims.org}}\""}});
    let bad_attribute = json!({"policy": {"readable": ["shoeSize"]}});
    let (bad_filter, _) = app
        .operator_json(Method::POST, clients, Some(&bad_filter))
        .await;
    let (bad_attribute, _) = app
        .operator_json(Method::POST, clients, Some(&bad_attribute))
        .await;

    // Assert
    assert_eq!(bad_filter, 400);
    assert_eq!(bad_attribute, 400);
}

#[tokio::test]
async fn group_members_must_lie_inside_the_rows() {
    // Arrange
    let (app, operator) = spawn_tenant("acme").await;
    let body = json!({"claims": {"org": "partner-a"}, "policy": {"userFilter": org_row_filter()}});
    let (status, created) = app
        .operator_json(Method::POST, "/tenants/acme/clients", Some(&body))
        .await;
    assert_eq!(status, 201, "{created}");
    let partner = as_client(&app, &operator, &TestClient::from_created(&created)).await;
    let a = create(&app, &operator, &org_user("a1", "partner-a")).await;
    let b = create(&app, &operator, &org_user("b1", "partner-b")).await;
    let (a_id, b_id) = (id(&a), id(&b));

    // Act
    let with_outsider = app
        .post(
            &partner,
            "/Groups",
            &crate::helpers::group("mixed", &[&a_id, &b_id]),
        )
        .await;
    let with_insider = app
        .post(
            &partner,
            "/Groups",
            &crate::helpers::group("ours", &[&a_id]),
        )
        .await;
    assert_eq!(with_insider.status(), 201);
    let group = json_ok(with_insider).await;
    let add_outsider = app
        .patch(
            &partner,
            &path_of(&group),
            json!([{"op": "add", "path": "members", "value": [{"value": b_id}]}]),
        )
        .await;

    // Assert
    assert_scim_error(with_outsider, 400, Some("invalidValue")).await;
    assert_scim_error(add_outsider, 400, Some("invalidValue")).await;
}
