//! Request heads over the configured limits get SCIM errors (414, 431) telling the client why,
//! and that long filters go in the body of `POST .search`; heads within them are served.

use reqwest::header::HeaderValue;

use crate::helpers::{assert_scim_error, spawn_configured, spawn_tenant};

/// `filter=userName eq "xxx…"` with `len` x's, percent-encoded as a client sends it.
fn long_filter_query(len: usize) -> String {
    format!("/Users?filter=userName%20eq%20%22{}%22", "x".repeat(len))
}

#[tokio::test]
async fn a_query_string_over_the_uri_limit_is_a_scim_414_pointing_to_search() {
    // Arrange: the default limit is 16 KiB; a 20 KB filter is past it.
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = app.get(&acme, &long_filter_query(20_000)).await;

    // Assert
    let body = assert_scim_error(response, 414, None).await;
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("POST .search"), "detail: {detail}");
}

#[tokio::test]
async fn the_uri_limit_is_a_setting_and_uris_within_it_are_served() {
    // Arrange
    let app = spawn_configured(|s| s.max_uri_bytes = 1024).await;
    let acme = app.tenant("acme").await;

    // Act
    let within = app.get(&acme, &long_filter_query(900)).await;
    let beyond = app.get(&acme, &long_filter_query(1000)).await;

    // Assert
    assert_eq!(within.status(), 200);
    assert_scim_error(beyond, 414, None).await;
}

#[tokio::test]
async fn header_fields_over_the_limit_are_a_scim_431_even_before_authentication() {
    // Arrange: the default limit is 32 KiB of header fields.
    let (app, acme) = spawn_tenant("acme").await;
    let padding = HeaderValue::from_str(&"p".repeat(40_000)).expect("header value");

    // Act
    let authenticated = app
        .get_request(&acme, "/Users")
        .header("x-padding", padding.clone())
        .send()
        .await
        .expect("request sent");
    let anonymous = app
        .client
        .get(format!("{}/Users", acme.base))
        .header("x-padding", padding)
        .send()
        .await
        .expect("request sent");

    // Assert
    assert_scim_error(authenticated, 431, None).await;
    assert_scim_error(anonymous, 431, None).await;
}
