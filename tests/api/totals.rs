//! `totalResults` stays exact whichever way the server learns it: from a short page, from the
//! per-tenant counters (unfiltered listings), or from a `COUNT(*)` (filtered ones).

use serde_json::{Value, json};

use crate::helpers::{USER_SCHEMA, bulk, spawn_tenant};

#[tokio::test]
async fn totals_follow_creates_and_deletes_per_tenant_and_type() {
    let (app, tenant) = spawn_tenant("acme").await;
    let other = app.tenant("other").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let user = app.create_user(&tenant, &format!("u{i}@acme.test")).await;
        ids.push(user["id"].as_str().expect("id").to_owned());
    }
    app.create_user(&other, "someone@other.test").await;
    app.create_group(&tenant, "Staff", &[&ids[0]]).await;

    // Unfiltered pages that come back full: the total comes from the counters.
    assert_eq!(app.total(&tenant, "/Users?count=2").await, 5);
    assert_eq!(app.total(&tenant, "/Users?count=0").await, 5);
    assert_eq!(app.total(&tenant, "/Users?startIndex=50&count=2").await, 5);
    assert_eq!(app.total(&tenant, "/Groups?count=0").await, 1);
    assert_eq!(app.total(&other, "/Users?count=0").await, 1);

    for id in &ids[..2] {
        let response = app.delete(&tenant, &format!("/Users/{id}")).await;
        assert_eq!(response.status(), 204);
    }
    // A delete of a resource that is already gone must not count twice.
    let again = app.delete(&tenant, &format!("/Users/{}", ids[0])).await;
    assert_eq!(again.status(), 404);
    assert_eq!(app.total(&tenant, "/Users?count=1").await, 3);
    assert_eq!(app.total(&tenant, "/Users").await, 3);
    assert_eq!(app.total(&other, "/Users?count=0").await, 1);

    // Filtered: a short first page tells the total; a full one needs a count.
    let sw = "/Users?filter=userName%20sw%20%22u%22";
    assert_eq!(app.total(&tenant, sw).await, 3);
    assert_eq!(app.total(&tenant, &format!("{sw}&count=1")).await, 3);
    assert_eq!(
        app.total(&tenant, &format!("{sw}&count=1&startIndex=3"))
            .await,
        3
    );
    assert_eq!(
        app.total(&tenant, &format!("{sw}&count=1&startIndex=9"))
            .await,
        3
    );
    let eq = "/Users?filter=userName%20eq%20%22u4@acme.test%22";
    assert_eq!(app.total(&tenant, eq).await, 1);
}

#[tokio::test]
async fn bulk_creates_and_deletes_are_counted() {
    let (app, tenant) = spawn_tenant("acme").await;
    let operations: Vec<Value> = (0..4)
        .map(|i| {
            json!({
                "method": "POST",
                "path": "/Users",
                "bulkId": format!("b{i}"),
                "data": {
                    "schemas": [USER_SCHEMA],
                    "userName": format!("bulk{i}@acme.test"),
                },
            })
        })
        .chain(std::iter::once(json!({
            "method": "DELETE",
            "path": "/Users/bulkId:b0",
        })))
        .collect();
    let response = app.post(&tenant, "/Bulk", &bulk(json!(operations))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.total(&tenant, "/Users?count=1").await, 3);
}

#[tokio::test]
async fn concurrent_creates_and_deletes_keep_the_total_exact() {
    // Arrange: writers side by side, so on PostgreSQL they land on different counter shards.
    let (app, tenant) = spawn_tenant("acme").await;

    // Act
    let names: Vec<String> = (0..24).map(|i| format!("c{i}@acme.test")).collect();
    let creates = names.iter().map(|name| app.create_user(&tenant, name));
    let created = futures_util::future::join_all(creates).await;
    let paths: Vec<String> = created[..9]
        .iter()
        .map(|user| format!("/Users/{}", user["id"].as_str().unwrap_or_default()))
        .collect();
    let deletes = paths.iter().map(|path| app.delete(&tenant, path));
    let deleted = futures_util::future::join_all(deletes).await;

    // Assert
    assert!(deleted.iter().all(|r| r.status() == 204), "{deleted:?}");
    let counted = "/Users?filter=userName%20sw%20%22c%22&count=1";
    assert_eq!(
        app.total(&tenant, counted).await,
        15,
        "COUNT(*) of the rows"
    );
    assert_eq!(
        app.total(&tenant, "/Users?count=1").await,
        15,
        "the counters"
    );
}
