//! Managing endpoints: who may register what, the secret shown once, changes, rotation with
//! both signatures during the grace period, replay, and bad input.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::receiver::{Receiver, signed_with};
use super::support::{endpoint, operator, register};
use crate::events::support::issue;
use crate::helpers::{assert_scim_error, spawn_tenant};
use scimgate_api::webhook_dispatch::spawn_dispatcher;

#[tokio::test]
async fn tenant_admins_register_https_public_endpoints_only() {
    let (app, acme) = spawn_tenant("acme").await;
    let admin = issue(
        &app,
        &acme,
        json!({"name": "admin", "scopes": ["scim:admin"]}),
    )
    .await;
    let url = format!("{}/t/acme/admin/v1/webhooks", app.origin);
    for target in [
        "http://hooks.example.com/in",
        "https://127.0.0.1/in",
        "https://10.1.2.3/in",
        "https://user:pw@hooks.example.com/in",
        "not a url",
    ] {
        let response = app
            .client
            .post(&url)
            .bearer_auth(&admin)
            .json(&json!({"url": target}))
            .send()
            .await
            .unwrap();
        assert_scim_error(response, 400, Some("invalidValue")).await;
    }
    let scim_only = app
        .client
        .post(&url)
        .bearer_auth(&acme.token)
        .json(&json!({"url": "https://hooks.example.com/in"}))
        .send()
        .await
        .unwrap();
    assert_scim_error(scim_only, 403, None).await;
}

#[tokio::test]
async fn the_secret_is_shown_once_and_endpoints_can_be_changed_and_deleted() {
    let (app, _acme) = spawn_tenant("acme").await;
    let created = register(&app, "acme", endpoint("http://127.0.0.1:9/in")).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], json!("active"));
    assert_eq!(created["format"], json!("json"));

    let (status, listed) = operator(&app, Method::GET, "acme", "", None).await;
    assert_eq!(status, 200);
    assert_eq!(listed["webhooks"][0]["id"], json!(id));
    assert!(listed["webhooks"][0].get("secret").is_none(), "{listed}");
    let change = json!({"events": ["user.created"], "status": "paused", "variant": "notice"});
    let (status, changed) =
        operator(&app, Method::PATCH, "acme", &format!("/{id}"), Some(change)).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["events"], json!(["user.created"]));
    assert_eq!(changed["status"], json!("paused"));
    assert_eq!(changed["variant"], json!("notice"));
    for bad in [
        json!({"events": ["user.exploded"]}),
        json!({"status": "disabled"}),
        json!({"format": "xml"}),
        json!({"colour": "red"}),
    ] {
        let (status, body) = operator(
            &app,
            Method::PATCH,
            "acme",
            &format!("/{id}"),
            Some(bad.clone()),
        )
        .await;
        assert_eq!(status, 400, "{bad} -> {body}");
    }
    let (status, _) = operator(&app, Method::DELETE, "acme", &format!("/{id}"), None).await;
    assert_eq!(status, 200);
    let (status, _) = operator(&app, Method::GET, "acme", &format!("/{id}"), None).await;
    assert_eq!(status, 404);
    let (status, _) = operator(&app, Method::GET, "globex", "", None).await;
    assert_eq!(status, 404, "an unknown tenant");
}

#[tokio::test]
async fn a_rotation_signs_with_both_secrets_and_a_replay_sends_again() {
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = Receiver::start().await;
    let created = register(&app, "acme", endpoint(&receiver.url)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let old = created["secret"].as_str().unwrap().to_owned();
    let (status, rotated) = operator(
        &app,
        Method::POST,
        "acme",
        &format!("/{id}/rotate-secret"),
        Some(json!({"graceSeconds": 3600})),
    )
    .await;
    assert_eq!(status, 201);
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());

    app.create_user(&acme, "ada").await;
    let first = receiver.wait_for(1, Duration::from_secs(20)).await;
    assert!(signed_with(&first[0], &new) && signed_with(&first[0], &old));

    let sequence = first[0].json()["sequence"].clone();
    let (status, queued) = operator(
        &app,
        Method::POST,
        "acme",
        &format!("/{id}/replay"),
        Some(json!({"sequence": sequence})),
    )
    .await;
    assert_eq!(status, 202);
    assert_eq!(queued["queued"], json!(1));
    let again = receiver.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(
        again[1].id, again[0].id,
        "a replay keeps the idempotency key"
    );
    let (status, _) = operator(
        &app,
        Method::POST,
        "acme",
        &format!("/{id}/replay"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 400);
    dispatcher.abort();
}
