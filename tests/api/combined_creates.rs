//! Concurrent creates share transactions (`create_combiner`): each still answers for itself,
//! and a shared transaction that fails leaves none of its creates behind.

use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, DbBackend};
use serde_json::Value;

use crate::helpers::{TestApp, TestTenant, spawn_tenant, user};

/// Sends one create per name at once; their statuses in the same order.
async fn create_at_once(app: &TestApp, tenant: &TestTenant, names: &[String]) -> Vec<u16> {
    let requests = names.iter().map(|name| {
        let request = app.post_request(tenant, "/Users", &user(name));
        async move { request.send().await.unwrap().status().as_u16() }
    });
    join_all(requests).await
}

#[tokio::test]
async fn concurrent_creates_answer_each_for_itself() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "taken").await;
    // Every fourth create collides, with a stored user or with another create in flight.
    let names: Vec<String> = (0..48)
        .map(|i| match i % 4 {
            0 => "TAKEN".to_owned(),
            1 => format!("twin-{}", i / 8),
            _ => format!("user-{i}"),
        })
        .collect();

    let statuses = create_at_once(&app, &acme, &names).await;

    for (name, status) in names.iter().zip(&statuses) {
        if name == "TAKEN" {
            assert_eq!(*status, 409, "{name}");
        } else if !name.starts_with("twin") {
            assert_eq!(*status, 201, "{name}");
        }
    }
    for twin in 0..6 {
        let name = format!("twin-{twin}");
        let answers: Vec<u16> = names
            .iter()
            .zip(&statuses)
            .filter(|(n, _)| **n == name)
            .map(|(_, s)| *s)
            .collect();
        let mut sorted = answers.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [201, 409], "{name}: {answers:?}");
    }
    let created = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(created, 24 + 6);
    assert_eq!(
        app.total(&acme, "/Users?count=0").await,
        u64::try_from(created).unwrap() + 1
    );
}

#[tokio::test]
async fn a_shared_transaction_that_fails_leaves_none_of_its_creates() {
    let (app, acme) = spawn_tenant("acme").await;
    // Every create records its change event in the same transaction: without the table, each
    // transaction fails after its resource rows were written.
    let drop = match app.db.get_database_backend() {
        DbBackend::Postgres => "DROP TABLE events CASCADE",
        _ => "DROP TABLE events",
    };
    app.db.execute_unprepared(drop).await.unwrap();
    let names: Vec<String> = (0..16).map(|i| format!("user-{i}")).collect();

    let statuses = create_at_once(&app, &acme, &names).await;

    assert!(statuses.iter().all(|s| *s == 503), "{statuses:?}");
    let listed: Value = app.get_json(&acme, "/Users").await;
    assert_eq!(listed["totalResults"], 0, "{listed}");
}
