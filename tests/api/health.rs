//! Liveness and readiness endpoints, as load balancers and Kubernetes probes use them.

use serde_json::Value;

use crate::helpers::{assert_scim_error, spawn_app};

#[tokio::test]
async fn healthz_and_readyz_answer_without_a_token() {
    let app = spawn_app().await;

    let health = app.get_public("/healthz").await;
    let ready = app.get_public("/readyz").await;

    assert_eq!(health.status(), 200);
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["database"], "ok");
    if std::env::var("TEST_REDIS_URL").is_ok_and(|url| !url.is_empty()) {
        assert_eq!(body["checks"]["redis"], "ok");
    }
}

#[tokio::test]
async fn readyz_is_503_when_the_database_is_gone_while_healthz_stays_up() {
    let app = spawn_app().await;

    app.db.clone().close().await.unwrap();
    let ready = app.get_public("/readyz").await;
    let health = app.get_public("/healthz").await;

    assert_scim_error(ready, 503, None).await;
    assert_eq!(health.status(), 200);
}
