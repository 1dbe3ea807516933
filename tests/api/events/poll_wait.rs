//! RFC 8936 poll delivery: long polls, who may poll, tenant isolation, and bad input.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::poll_support::{events_receiver, jtis, poll, post_poll, receiver};
use crate::helpers::{assert_scim_error, spawn_configured, spawn_tenant};

#[tokio::test]
async fn a_long_poll_answers_as_soon_as_a_write_lands_without_blocking_others() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = events_receiver(&app, "acme").await;
    let (client, url, token) = (
        app.client.clone(),
        format!("{}/t/acme/events/poll", app.origin),
        receiver.token.clone(),
    );

    // Act
    let started = Instant::now();
    let waiting = tokio::spawn(async move {
        let response = client
            .post(url)
            .bearer_auth(token)
            .json(&json!({"maxEvents": 5}))
            .send()
            .await
            .unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    });
    tokio::time::sleep(Duration::from_millis(600)).await;
    let meanwhile = app.get(&acme, "/Users").await;
    app.create_user(&acme, "ada").await;
    let (status, answer) = waiting.await.unwrap();

    // Assert
    assert_eq!(
        meanwhile.status(),
        200,
        "other requests go on while a poll waits"
    );
    assert_eq!(status, 200);
    assert_eq!(jtis(&answer).len(), 1, "{answer}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(600),
        "it waited: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(10),
        "it woke on the write: {waited:?}"
    );
}

#[tokio::test]
async fn a_long_poll_without_events_ends_empty_at_its_bound() {
    // Arrange
    let app = spawn_configured(|s| s.event_poll_wait = Duration::from_secs(1)).await;
    app.tenant("acme").await;
    let receiver = events_receiver(&app, "acme").await;

    // Act
    let started = Instant::now();
    let answer = poll(&app, "acme", &receiver, json!({})).await;

    // Assert
    assert_eq!(answer, json!({"sets": {}, "moreAvailable": false}));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_tenant_never_sees_nor_acknowledges_another_tenants_sets() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    app.tenant("globex").await;
    let acme_receiver = events_receiver(&app, "acme").await;
    let globex_receiver = events_receiver(&app, "globex").await;
    app.create_user(&acme, "ada").await;
    let acme_sets = poll(
        &app,
        "acme",
        &acme_receiver,
        json!({"returnImmediately": true}),
    )
    .await;
    let acme_jtis = jtis(&acme_sets);
    assert_eq!(acme_jtis.len(), 1);

    // Act
    let globex = poll(
        &app,
        "globex",
        &globex_receiver,
        json!({"returnImmediately": true, "ack": acme_jtis}),
    )
    .await;
    let foreign = post_poll(
        &app,
        "globex",
        &acme_receiver.token,
        "",
        r#"{"returnImmediately": true}"#,
    )
    .await;
    let still = poll(
        &app,
        "acme",
        &acme_receiver,
        json!({"returnImmediately": true}),
    )
    .await;

    // Assert
    assert_eq!(globex["sets"], json!({}));
    assert_scim_error(foreign, 401, None).await;
    assert_eq!(
        jtis(&still),
        jtis(&acme_sets),
        "globex's ack touched nothing of acme"
    );
}

#[tokio::test]
async fn only_unrestricted_event_readers_may_poll() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let writer = receiver(
        &app,
        "acme",
        json!({"name": "w", "scopes": ["scim:read", "scim:write"]}),
    )
    .await;
    let restricted = receiver(
        &app,
        "acme",
        json!({"name": "p", "scopes": ["scim:events:read"],
            "policy": {"userFilter": "userName eq \"x\""}}),
    )
    .await;
    let admin = receiver(&app, "acme", json!({"name": "a", "scopes": ["scim:admin"]})).await;

    // Act
    let body = r#"{"returnImmediately": true}"#;
    let unscoped = post_poll(&app, "acme", &writer.token, "", body).await;
    let with_policy = post_poll(&app, "acme", &restricted.token, "", body).await;
    let anonymous = app
        .client
        .post(format!("{}/t/acme/events/poll", app.origin))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let as_admin = post_poll(&app, "acme", &admin.token, "", body).await;

    // Assert
    assert_scim_error(unscoped, 403, None).await;
    assert_scim_error(with_policy, 403, None).await;
    assert_scim_error(anonymous, 401, None).await;
    assert_eq!(as_admin.status(), 200);
}

#[tokio::test]
async fn malformed_polls_are_scim_errors() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let receiver = events_receiver(&app, "acme").await;

    // Act / Assert
    for body in [
        r#"{"maxEvents": -1}"#,
        r#"{"maxEvents": 1001}"#,
        r#"{"maxEvents": "ten"}"#,
        r#"{"returnImmediately": "yes"}"#,
        r#"{"ack": "not-a-list"}"#,
        r#"{"ack": [42]}"#,
        r#"{"setErrs": {"jti": "invalid_key"}}"#,
        r#"{"setErrs": {"jti": {"description": "no err"}}}"#,
    ] {
        let response = post_poll(&app, "acme", &receiver.token, "", body).await;
        assert_scim_error(response, 400, Some("invalidValue")).await;
    }
    for body in ["[]", "not json", ""] {
        let response = post_poll(&app, "acme", &receiver.token, "", body).await;
        assert_scim_error(response, 400, Some("invalidSyntax")).await;
    }
    let variant = post_poll(&app, "acme", &receiver.token, "?variant=all", "{}").await;
    assert_scim_error(variant, 400, Some("invalidValue")).await;
    let get = app
        .client
        .get(format!("{}/t/acme/events/poll", app.origin))
        .bearer_auth(&receiver.token)
        .send()
        .await
        .unwrap();
    assert_scim_error(get, 405, None).await;
}
