//! Independent creates of one Bulk request are written together (one transaction, multi-row
//! statements); each must still answer, commit, fail and count exactly as it would alone.

use serde_json::{Value, json};

use crate::events::support::{all_events, reader, types};
use crate::helpers::{
    BULK_REQUEST, ENTERPRISE, GROUP_SCHEMA, TestApp, TestTenant, USER_SCHEMA, bulk, id,
    spawn_configured, user,
};

async fn bulk_statuses(app: &TestApp, tenant: &TestTenant, body: Value) -> Vec<Value> {
    let response = app.post(tenant, "/Bulk", &body).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["Operations"].as_array().unwrap().clone()
}

fn statuses(ops: &[Value]) -> Vec<&str> {
    ops.iter()
        .map(|op| op["status"].as_str().unwrap())
        .collect()
}

async fn user_names(app: &TestApp, tenant: &TestTenant) -> Vec<String> {
    let listed = app
        .get_json(tenant, "/Users?sortBy=userName&count=100")
        .await;
    listed["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_taken_user_name_fails_its_own_create_and_the_others_commit_in_order() {
    let app = crate::helpers::spawn_app().await;
    let acme = app.tenant("acme").await;
    let token = reader(&app, &acme).await;
    let boss = app.create_user(&acme, "taken").await;
    let with_manager = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": "reports",
        ENTERPRISE: {"manager": {"value": id(&boss)}},
    });

    let ops = bulk_statuses(
        &app,
        &acme,
        bulk(json!([
            {"method": "POST", "bulkId": "b1", "path": "/Users", "data": user("first")},
            {"method": "POST", "bulkId": "b2", "path": "/Users", "data": user("TAKEN")},
            {"method": "POST", "bulkId": "b3", "path": "/Users", "data": user("second")},
            {"method": "POST", "bulkId": "b4", "path": "/Users", "data": user("First")},
            {"method": "POST", "bulkId": "b5", "path": "/Groups",
             "data": {"schemas": [GROUP_SCHEMA], "displayName": "empty"}},
            {"method": "POST", "bulkId": "b6", "path": "/Users", "data": with_manager},
            {"method": "POST", "bulkId": "b7", "path": "/Users", "data": {"schemas": [USER_SCHEMA]}},
            {"method": "POST", "bulkId": "b8", "path": "/Users", "data": user("third")},
        ])),
    )
    .await;

    assert_eq!(
        statuses(&ops),
        ["201", "409", "201", "409", "201", "201", "400", "201"]
    );
    for conflict in [&ops[1], &ops[3]] {
        assert_eq!(conflict["response"]["scimType"], "uniqueness", "{conflict}");
        assert!(conflict.get("location").is_none(), "{conflict}");
    }
    for created in [&ops[0], &ops[2], &ops[4], &ops[5], &ops[7]] {
        let location = created["location"].as_str().unwrap();
        let path = &location[location
            .find("/Users")
            .or(location.find("/Groups"))
            .unwrap()..];
        let read = app.get(&acme, path).await;
        assert_eq!(read.status(), 200, "{created}");
        let etag = read.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(json!(etag), created["version"], "{created}");
    }
    assert_eq!(
        user_names(&app, &acme).await,
        ["first", "reports", "second", "taken", "third"]
    );
    assert_eq!(app.total(&acme, "/Users?count=0").await, 5);
    assert_eq!(app.total(&acme, "/Groups?count=0").await, 1);

    let events = all_events(&app, "acme", &token).await;
    assert_eq!(
        types(&events),
        [
            "user.created",
            "user.created",
            "user.created",
            "group.created",
            "user.created",
            "user.created"
        ]
    );
    let created: Vec<&Value> = events[1..]
        .iter()
        .map(|e| {
            e["data"]
                .get("userName")
                .unwrap_or(&e["data"]["displayName"])
        })
        .collect();
    assert_eq!(created, ["first", "second", "empty", "reports", "third"]);
}

#[tokio::test]
async fn fail_on_errors_counts_failures_in_request_order_across_batched_creates() {
    let app = crate::helpers::spawn_app().await;
    let acme = app.tenant("acme").await;

    let ops = bulk_statuses(
        &app,
        &acme,
        json!({"schemas": [BULK_REQUEST],
               "failOnErrors": 2, "Operations": [
            {"method": "POST", "bulkId": "b9", "path": "/Users", "data": user("one")},
            {"method": "POST", "bulkId": "b10", "path": "/Users", "data": user("ONE")},
            {"method": "POST", "bulkId": "b11", "path": "/Users", "data": user("two")},
            {"method": "POST", "bulkId": "b12", "path": "/Users", "data": user("Two")},
            {"method": "POST", "bulkId": "b13", "path": "/Users", "data": user("three")},
        ]}),
    )
    .await;

    assert_eq!(statuses(&ops), ["201", "409", "201", "409"]);
    assert_eq!(user_names(&app, &acme).await, ["one", "two"]);
}

#[tokio::test]
async fn creates_past_one_batch_are_all_written_and_counted() {
    let app = spawn_configured(|s| s.max_body_bytes = 1024 * 1024).await;
    let acme = app.tenant("acme").await;
    // More than one batch (256), with a duplicate of the first batch's user in the second.
    let mut operations: Vec<Value> = (0..300)
        .map(|i| {
            let name = format!("u{i:03}");
            json!({"method": "POST", "bulkId": name, "path": "/Users", "data": user(&name)})
        })
        .collect();
    operations
        .push(json!({"method": "POST", "bulkId": "b15", "path": "/Users", "data": user("U007")}));
    let ops = bulk_statuses(&app, &acme, bulk(json!(operations))).await;

    assert_eq!(ops.len(), 301);
    assert!(ops[..300].iter().all(|op| op["status"] == "201"));
    assert_eq!(ops[300]["status"], "409");
    assert_eq!(app.total(&acme, "/Users?count=0").await, 300);
    let found = app
        .get_json(&acme, "/Users?filter=userName%20eq%20%22u299%22")
        .await;
    assert_eq!(found["totalResults"], 1);
}
