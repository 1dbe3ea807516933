//! The webhooks pages: endpoints and their deliveries, pause/resume and replay of one event
//! through CSRF-guarded forms, audited as the console session; other tenants' endpoints 404.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use super::support::{hidden_value, sign_in};
use crate::helpers::{spawn_app, status_json};
use crate::webhooks::receiver::Receiver;
use crate::webhooks::support::{endpoint, operator, register};
use scimgate_api::webhook_dispatch::spawn_dispatcher;

const WAIT: Duration = Duration::from_secs(20);

/// The endpoint's delivery log once it holds `n` attempts (through the admin API).
async fn attempts(app: &crate::helpers::TestApp, id: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + WAIT;
    loop {
        let (status, log) =
            operator(app, Method::GET, "acme", &format!("/{id}/deliveries"), None).await;
        assert_eq!(status, 200);
        let attempts = log["attempts"].as_array().unwrap().clone();
        if attempts.len() >= n {
            return attempts;
        }
        assert!(Instant::now() < deadline, "{log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn deliveries_show_and_an_endpoint_pauses_resumes_and_replays_from_the_console() {
    // Arrange: one delivered event.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let empty = session.page(&app, "/console/t/acme/webhooks").await;
    let receiver = Receiver::start().await;
    let hook = register(&app, "acme", endpoint(&receiver.url)).await;
    let id = hook["id"].as_str().unwrap().to_owned();
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());
    app.create_user(&acme, "ada").await;
    receiver.wait_for(1, WAIT).await;
    let sequence = attempts(&app, &id, 1).await[0]["sequence"]
        .as_i64()
        .unwrap();
    let page_path = format!("/console/t/acme/webhooks/{id}");

    // Act
    let list = session.page(&app, "/console/t/acme/webhooks").await;
    let detail = session.page(&app, &page_path).await;
    let csrf = hidden_value(&detail, "csrf");
    let paused = session
        .post(
            &app,
            &format!("{page_path}/status"),
            &[("csrf", &csrf), ("status", "paused")],
        )
        .await;
    let after_pause = session.page(&app, &page_path).await;
    let resumed = session
        .post(
            &app,
            &format!("{page_path}/status"),
            &[("csrf", &csrf), ("status", "active")],
        )
        .await;
    let replayed = session
        .post(
            &app,
            &format!("{page_path}/replay"),
            &[("csrf", &csrf), ("sequence", &sequence.to_string())],
        )
        .await;
    let replayed_status = replayed.status();
    let replayed_page = replayed.text().await.unwrap();
    receiver.wait_for(2, WAIT).await;
    dispatcher.abort();

    // Assert
    assert!(empty.contains("No webhook endpoints yet"));
    assert!(list.contains(&receiver.url) && list.contains("active"));
    assert!(
        detail.contains("<td>200</td>") && detail.contains("delivered"),
        "{detail}"
    );
    assert_eq!(paused.status(), 303);
    assert!(after_pause.contains("Resume deliveries"));
    assert_eq!(resumed.status(), 303);
    assert_eq!(replayed_status, 200);
    assert!(
        replayed_page.contains("is queued for this endpoint again"),
        "{replayed_page}"
    );
    let received = receiver.received();
    assert_eq!(received[0].id, received[1].id, "the same event again");
    let (_, audit) = status_json(app.operator(Method::GET, "/tenants/acme/audit")).await;
    let by_session: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"].as_str().unwrap().starts_with("console:"))
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        by_session,
        ["webhook.replay", "webhook.update", "webhook.update"]
    );
}

#[tokio::test]
async fn webhook_forms_need_the_csrf_token_and_other_tenants_endpoints_are_absent() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    app.tenant("beta").await;
    let session = sign_in(&app, "acme").await;
    let ours = register(&app, "acme", endpoint("http://127.0.0.1:9/hook")).await;
    let theirs = register(&app, "beta", endpoint("http://127.0.0.1:9/hook")).await;
    let ours = ours["id"].as_str().unwrap();
    let theirs = theirs["id"].as_str().unwrap();
    let csrf = session.csrf(&app).await;

    // Act
    let forged = session
        .post(
            &app,
            &format!("/console/t/acme/webhooks/{ours}/status"),
            &[("status", "paused")],
        )
        .await;
    let cross_page = session
        .get(&app, &format!("/console/t/acme/webhooks/{theirs}"))
        .await;
    let cross_pause = session
        .post(
            &app,
            &format!("/console/t/acme/webhooks/{theirs}/status"),
            &[("csrf", &csrf), ("status", "paused")],
        )
        .await;
    let bad_sequence = session
        .post(
            &app,
            &format!("/console/t/acme/webhooks/{ours}/replay"),
            &[("csrf", &csrf), ("sequence", "-3")],
        )
        .await;
    let unknown_event = session
        .post(
            &app,
            &format!("/console/t/acme/webhooks/{ours}/replay"),
            &[("csrf", &csrf), ("sequence", "999")],
        )
        .await;

    // Assert
    assert_eq!(forged.status(), 403);
    assert_eq!(cross_page.status(), 404);
    assert_eq!(cross_pause.status(), 404);
    assert_eq!(bad_sequence.status(), 400);
    assert_eq!(unknown_event.status(), 200);
    assert!(
        unknown_event
            .text()
            .await
            .unwrap()
            .contains("No event 999 to send")
    );
    let (_, beta) = operator(&app, Method::GET, "beta", &format!("/{theirs}"), None).await;
    assert_eq!(beta["status"], "active", "beta's endpoint untouched");
    let (_, acme) = operator(&app, Method::GET, "acme", &format!("/{ours}"), None).await;
    assert_eq!(acme["status"], "active", "a forged form changes nothing");
}
