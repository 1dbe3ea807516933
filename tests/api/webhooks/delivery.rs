//! What reaches an endpoint: exactly the committed changes, signed, retried until they get
//! through, once per event even with two dispatchers, and nothing after a 410.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::receiver::{Receiver, signed_with};
use super::support::{endpoint, operator, register};
use crate::helpers::{spawn_tenant, spawn_with, test_settings, user};
use scimgate_api::webhook_dispatch::spawn_dispatcher;

const WAIT: Duration = Duration::from_secs(20);

fn types(received: &[super::receiver::Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn committed_writes_arrive_signed_and_refused_ones_never() {
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = Receiver::start().await;
    app.create_user(&acme, "before").await;
    let hook = register(&app, "acme", endpoint(&receiver.url)).await;
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());

    let ada = app.create_user(&acme, "ada").await;
    let duplicate = app.post(&acme, "/Users", &user("ada")).await;
    assert_eq!(duplicate.status(), 409);
    let path = format!("/Users/{}", ada["id"].as_str().unwrap());
    assert_eq!(app.delete(&acme, &path).await.status(), 204);

    receiver.wait_for(2, WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Deliveries run concurrently, without an order; the sequence number gives it.
    let mut received = receiver.received();
    received.sort_by_key(|r| r.json()["sequence"].as_i64());
    assert_eq!(
        types(&received),
        ["user.created", "user.deleted"],
        "only what committed after registration"
    );
    for delivery in &received {
        assert!(signed_with(delivery, &secret), "signature of {delivery:?}");
        assert_eq!(delivery.content_type, "application/json");
        let body = delivery.json();
        assert_eq!(body["id"], json!(delivery.id), "webhook-id is the event id");
        assert_eq!(body["tenant"], json!("acme"));
    }
    assert!(!signed_with(
        &received[0],
        "whsec_d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldA=="
    ));
    dispatcher.abort();
}

#[tokio::test]
async fn failures_are_retried_until_delivered_and_the_log_shows_each_attempt() {
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = Receiver::start().await;
    receiver.script(&[500, 503]);
    let hook = register(&app, "acme", endpoint(&receiver.url)).await;
    let id = hook["id"].as_str().unwrap().to_owned();
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());

    app.create_user(&acme, "ada").await;
    let received = receiver.wait_for(3, WAIT).await;
    assert!(
        received.iter().all(|r| r.id == received[0].id),
        "the same event each time"
    );
    // The third attempt is recorded just after the receiver answered it.
    let deadline = std::time::Instant::now() + WAIT;
    let log = loop {
        let (status, log) = operator(
            &app,
            Method::GET,
            "acme",
            &format!("/{id}/deliveries"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        if log["attempts"].as_array().unwrap().len() >= 3 || std::time::Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let outcomes: Vec<(Value, Value)> = log["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["status"].clone(), a["outcome"].clone()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (json!(200), json!("delivered")),
            (json!(503), json!("retrying")),
            (json!(500), json!("retrying"))
        ],
        "newest first: {log}"
    );
    dispatcher.abort();
}

#[tokio::test]
async fn gone_disables_the_endpoint_until_it_is_resumed() {
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = Receiver::start().await;
    receiver.script(&[410]);
    let hook = register(&app, "acme", endpoint(&receiver.url)).await;
    let id = hook["id"].as_str().unwrap().to_owned();
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());

    app.create_user(&acme, "ada").await;
    receiver.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, disabled) = operator(&app, Method::GET, "acme", &format!("/{id}"), None).await;
    assert_eq!(disabled["status"], json!("disabled"), "{disabled}");
    assert!(disabled["disabledReason"].as_str().unwrap().contains("410"));
    app.create_user(&acme, "grace").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        receiver.received().len(),
        1,
        "nothing goes to a disabled endpoint"
    );

    let resume = json!({"status": "active"});
    let (status, _) = operator(&app, Method::PATCH, "acme", &format!("/{id}"), Some(resume)).await;
    assert_eq!(status, 200);
    let received = receiver.wait_for(3, WAIT).await;
    let mut names: Vec<String> = received[1..]
        .iter()
        .map(|r| r.json()["data"]["userName"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["ada", "grace"],
        "the refused one and the one held back"
    );
    dispatcher.abort();
}

#[tokio::test]
async fn two_dispatchers_send_each_event_once_and_a_restart_resumes_retries() {
    let data_a = tempfile::tempdir().unwrap();
    let data_b = tempfile::tempdir().unwrap();
    let settings_a = test_settings(&data_a);
    let mut settings_b = test_settings(&data_b);
    settings_b.database_url = settings_a.database_url.clone();
    settings_b.database_schema = settings_a.database_schema.clone();
    let a = spawn_with(settings_a, data_a).await;
    let b = spawn_with(settings_b, data_b).await;
    let acme = a.tenant("acme").await;
    let receiver = Receiver::start().await;
    receiver.script(&[500]);
    register(&a, "acme", endpoint(&receiver.url)).await;

    // Replica a fails its first attempt, then goes away before the retry.
    let first = spawn_dispatcher(a.state.dispatcher.clone());
    a.create_user(&acme, "ada").await;
    receiver.wait_for(1, WAIT).await;
    // Let it record the failure; a replica killed mid-attempt is the lease's business.
    tokio::time::sleep(Duration::from_millis(300)).await;
    first.abort();

    let on_a = spawn_dispatcher(a.state.dispatcher.clone());
    let on_b = spawn_dispatcher(b.state.dispatcher.clone());
    for n in 0..30 {
        a.create_user(&acme, &format!("user-{n}")).await;
    }
    receiver.wait_for(32, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let received = receiver.received();
    let mut ids: Vec<&str> = received[1..].iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let total = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), 31, "31 events");
    assert_eq!(total, 31, "each delivered once after the failed attempt");
    on_a.abort();
    on_b.abort();
}

#[tokio::test]
async fn an_endpoint_gets_only_its_event_types_and_only_its_tenant() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let deletions = Receiver::start().await;
    let everything = Receiver::start().await;
    register(
        &app,
        "acme",
        json!({"url": deletions.url, "events": ["user.deleted"]}),
    )
    .await;
    register(&app, "globex", endpoint(&everything.url)).await;
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());

    let ada = app.create_user(&acme, "ada").await;
    app.create_user(&globex, "hank").await;
    let path = format!("/Users/{}", ada["id"].as_str().unwrap());
    assert_eq!(app.delete(&acme, &path).await.status(), 204);

    let deleted = deletions.wait_for(1, WAIT).await;
    let other = everything.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(types(&deletions.received()), ["user.deleted"]);
    assert_eq!(deleted[0].json()["resource"]["id"], ada["id"]);
    assert_eq!(types(&everything.received()), ["user.created"]);
    assert_eq!(other[0].json()["tenant"], json!("globex"));
    dispatcher.abort();
}

#[tokio::test]
async fn a_hanging_endpoint_slows_neither_writes_nor_other_endpoints() {
    let (app, acme) = spawn_tenant("acme").await;
    let hanging = Receiver::start().await;
    hanging.hang(Duration::from_secs(30));
    register(&app, "acme", endpoint(&hanging.url)).await;
    // A backlog larger than all the dispatcher's slots, queued for the hanging endpoint alone.
    for n in 0..140 {
        app.create_user(&acme, &format!("backlog-{n}")).await;
    }
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());
    hanging.wait_for(1, Duration::from_secs(10)).await;

    let healthy = Receiver::start().await;
    register(&app, "acme", endpoint(&healthy.url)).await;
    let started = std::time::Instant::now();
    for n in 0..10 {
        app.create_user(&acme, &format!("user-{n}")).await;
    }
    let writing = started.elapsed();
    healthy.wait_for(10, Duration::from_secs(8)).await;
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the healthy endpoint got its events well before the hanging one's 15 s timeouts"
    );
    assert!(
        writing < Duration::from_secs(5),
        "writes never wait on deliveries: {writing:?}"
    );
    assert!(
        hanging.received().len() <= 16,
        "a hanging endpoint holds a few slots, not all"
    );
    dispatcher.abort();
}

#[tokio::test]
async fn deliveries_go_on_while_redis_is_down() {
    let mut redis = crate::replicas::redis_server::RedisServer::start().await;
    let (a, b, _) = crate::replicas::support::replicas(&redis).await;
    let acme = a.tenant("acme").await;
    let receiver = Receiver::start().await;
    register(&a, "acme", endpoint(&receiver.url)).await;
    let on_b = spawn_dispatcher(b.state.dispatcher.clone());

    redis.kill();
    a.create_user(&acme, "during-the-outage").await;
    let received = receiver.wait_for(1, WAIT).await;
    assert_eq!(
        received[0].json()["data"]["userName"],
        json!("during-the-outage")
    );
    on_b.abort();
}
