//! The seat limit: active users past it are refused (a create or a reactivation by PUT, PATCH
//! or Bulk) with 400 naming the limit, exactly under concurrency; a deactivation frees a seat.

use futures_util::future::join_all;
use serde_json::{Value, json};

use super::support::{bulk_answer, set_rails};
use crate::helpers::{PATCH_OP, assert_scim_error, bulk_statuses, id, spawn_tenant, user};

fn inactive(name: &str) -> Value {
    let mut body = user(name);
    body["active"] = json!(false);
    body
}

fn set_active(active: bool) -> Value {
    json!([{"op": "replace", "path": "active", "value": active}])
}

async fn assert_seat_refusal(response: reqwest::Response, limit: u64) {
    let error = assert_scim_error(response, 400, None).await;
    let detail = error["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("seat limit of {limit} active users")),
        "{detail}"
    );
}

async fn total_users(app: &crate::helpers::TestApp, tenant: &crate::helpers::TestTenant) -> u64 {
    let list: Value = app.get(tenant, "/Users").await.json().await.unwrap();
    list["totalResults"].as_u64().unwrap()
}

#[tokio::test]
async fn twenty_concurrent_creates_admit_exactly_the_seat_limit() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    set_rails(&app, "acme", json!({"seatLimit": 5})).await;

    // Act
    let bodies: Vec<Value> = (0..20).map(|i| user(&format!("user{i}"))).collect();
    let responses = join_all(bodies.iter().map(|body| app.post(&acme, "/Users", body))).await;

    // Assert
    let mut created = 0;
    for response in responses {
        match response.status().as_u16() {
            201 => created += 1,
            _ => assert_seat_refusal(response, 5).await,
        }
    }
    assert_eq!(created, 5);
    assert_eq!(total_users(&app, &acme).await, 5);
    // An inactive user takes no seat.
    assert_eq!(
        app.post(&acme, "/Users", &inactive("dormant"))
            .await
            .status(),
        201
    );
    let metrics = app.get_public("/metrics").await.text().await.unwrap();
    let refusals = metrics
        .lines()
        .find(|l| l.starts_with("scimgate_guard_rails_refusals") && l.contains("seat_limit"))
        .unwrap_or_else(|| panic!("no seat refusals counted in {metrics}"));
    assert!(refusals.ends_with(" 15"), "{refusals}");
}

#[tokio::test]
async fn a_reactivation_past_the_limit_is_refused_until_a_deactivation_frees_a_seat() {
    // Arrange: limit 2, held by ann and bob; cid is inactive.
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    set_rails(&app, "acme", json!({"seatLimit": 2})).await;
    let ann = id(&app.create_user(&acme, "ann").await);
    app.create_user(&acme, "bob").await;
    let cid = id(&app.create_at(&acme, "/Users", &inactive("cid")).await);
    let cid_path = format!("/Users/{cid}");

    // Act + Assert: PUT, PATCH and Bulk reactivations are refused; a rename of an active
    // user is not a reactivation.
    assert_seat_refusal(app.put(&acme, &cid_path, &user("cid")).await, 2).await;
    assert_seat_refusal(app.patch(&acme, &cid_path, set_active(true)).await, 2).await;
    let operations = json!([{"method": "PATCH", "path": cid_path,
        "data": {"schemas": [PATCH_OP], "Operations": set_active(true)}}]);
    let answer = bulk_answer(&app, &acme, operations.clone()).await;
    assert_eq!(bulk_statuses(&answer), ["400"], "{answer}");
    let rename = json!([{"op": "replace", "path": "displayName", "value": "Ann"}]);
    assert_eq!(
        app.patch(&acme, &format!("/Users/{ann}"), rename)
            .await
            .status(),
        200
    );
    // Deactivating ann frees her seat for cid.
    let ann_path = format!("/Users/{ann}");
    assert_eq!(
        app.patch(&acme, &ann_path, set_active(false))
            .await
            .status(),
        200
    );
    let answer = bulk_answer(&app, &acme, operations).await;
    assert_eq!(bulk_statuses(&answer), ["200"], "{answer}");
    let stored: Value = app.get(&acme, &cid_path).await.json().await.unwrap();
    assert_eq!(stored["active"], true);
    assert_seat_refusal(app.put(&acme, &ann_path, &user("ann")).await, 2).await;
    // Tenant B has no limit.
    for name in ["ann", "bob", "cid"] {
        assert_eq!(app.post(&globex, "/Users", &user(name)).await.status(), 201);
    }
}

#[tokio::test]
async fn a_bulk_of_creates_admits_as_many_as_there_are_seats() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    set_rails(&app, "acme", json!({"seatLimit": 1})).await;

    // Act
    let operations = json!([
        {"method": "POST", "path": "/Users", "bulkId": "a", "data": user("ann")},
        {"method": "POST", "path": "/Users", "bulkId": "b", "data": user("bob")},
        {"method": "POST", "path": "/Users", "bulkId": "c", "data": inactive("cid")},
    ]);
    let answer = bulk_answer(&app, &acme, operations).await;

    // Assert
    assert_eq!(bulk_statuses(&answer), ["201", "400", "201"], "{answer}");
    assert_eq!(total_users(&app, &acme).await, 2);
}

#[tokio::test]
async fn the_tenant_admin_sets_its_rails_and_a_put_without_them_turns_them_off() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let admin = crate::admin_support::admin_token(&app, "acme").await;
    let rails = json!({"deletion": "hard", "verifiedDomains": ["Example.com", "example.com"],
        "seatLimit": 1});

    // Act
    let (status, policy, _) = crate::admin_support::admin_send(
        &app,
        reqwest::Method::PUT,
        "acme",
        "/lifecycle",
        &admin.token,
        &rails,
    )
    .await;

    // Assert: domains normalised; the limit holds; a PUT without rails lifts both.
    assert_eq!(status, 200, "{policy}");
    assert_eq!(
        policy,
        json!({"deletion": "hard", "verifiedDomains": ["example.com"], "seatLimit": 1})
    );
    app.create_user(&acme, "ann").await;
    assert_seat_refusal(app.post(&acme, "/Users", &user("bob")).await, 1).await;
    set_rails(&app, "acme", json!({})).await;
    assert_eq!(app.post(&acme, "/Users", &user("bob")).await.status(), 201);
}
