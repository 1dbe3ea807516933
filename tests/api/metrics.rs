//! `GET /metrics`: Prometheus text of this app's requests, tenants, cache and pool.

use crate::helpers::{assert_scim_error, spawn_app, spawn_configured, spawn_tenant, user};

/// The lines of the exposition that name `metric` and contain every one of `labels`.
fn series<'a>(text: &'a str, metric: &str, labels: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter(|line| line.starts_with(&format!("{metric}{{")))
        .filter(|line| labels.iter().all(|label| line.contains(label)))
        .collect()
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_method_status_and_tenant() {
    let (app, tenant) = spawn_tenant("acme").await;
    app.create_user(&tenant, "ada.lovelace").await;
    let listed = app.get(&tenant, "/Users").await;
    assert_eq!(listed.status(), 200);

    let response = app.get_public("/metrics").await;

    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.unwrap();
    let route = r#"http_route="/t/{tenant}/scim/v2/Users""#;
    let created = series(
        &text,
        "http_server_requests_total",
        &[
            route,
            r#"http_request_method="POST""#,
            r#"http_response_status_code="201""#,
        ],
    );
    assert_eq!(created.len(), 1, "{text}");
    assert!(created[0].ends_with(" 1"), "{}", created[0]);
    let listed = series(
        &text,
        "http_server_request_duration_seconds_count",
        &[
            route,
            r#"http_request_method="GET""#,
            r#"http_response_status_code="200""#,
        ],
    );
    assert_eq!(listed.len(), 1, "{text}");
    let per_tenant = series(
        &text,
        "scimgate_tenant_requests_total",
        &[r#"tenant="acme""#],
    );
    assert!(!per_tenant.is_empty(), "{text}");
    // The token is verified once, then found in the cache.
    assert_eq!(
        series(&text, "scimgate_cache_lookups_total", &[r#"result="miss""#]).len(),
        1,
        "{text}"
    );
    assert_eq!(
        series(&text, "scimgate_cache_lookups_total", &[r#"result="hit""#]).len(),
        1,
        "{text}"
    );
    assert!(
        !series(
            &text,
            "db_client_connection_count",
            &[r#"db_client_connection_state="idle""#]
        )
        .is_empty(),
        "{text}"
    );
    assert!(text.contains(r#"service_name="scimgate""#), "{text}");
    assert!(!text.contains("ada.lovelace"));
    assert!(!text.contains(&tenant.token));
}

#[tokio::test]
async fn unmatched_paths_share_one_label_instead_of_their_raw_path() {
    let app = spawn_app().await;

    let missing = app.get_public("/no/such/ada.lovelace").await;
    assert_eq!(missing.status(), 404);
    let text = app.get_public("/metrics").await.text().await.unwrap();

    assert!(!text.contains("ada.lovelace"), "{text}");
    let unmatched = series(
        &text,
        "http_server_requests_total",
        &[
            r#"http_route="unmatched""#,
            r#"http_response_status_code="404""#,
        ],
    );
    assert_eq!(unmatched.len(), 1, "{text}");
}

#[tokio::test]
async fn metrics_endpoint_is_a_404_when_turned_off() {
    let app = spawn_configured(|s| s.metrics_enabled = false).await;

    let response = app.get_public("/metrics").await;

    assert_scim_error(response, 404, None).await;
}

#[tokio::test]
async fn users_are_never_labels() {
    let (app, tenant) = spawn_tenant("acme").await;
    let created = app.post(&tenant, "/Users", &user("grace.hopper")).await;
    assert_eq!(created.status(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&tenant, &format!("/Users/{id}")).await;

    let text = app.get_public("/metrics").await.text().await.unwrap();

    assert!(!text.contains(&id), "{text}");
    assert!(
        text.contains(r#"http_route="/t/{tenant}/scim/v2/Users/{id}""#),
        "{text}"
    );
}
