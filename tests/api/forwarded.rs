//! Without `SCIMGATE_PUBLIC_URL`, `Location` and `meta.location` take the client's host and
//! scheme: from `Forwarded` / `X-Forwarded-*` only when the peer is a trusted proxy
//! (`SCIMGATE_TRUSTED_PROXIES`), from the `Host` header otherwise.

use scimgate_api::startup::{StartupError, build_state, open_database};
use serde_json::Value;

use crate::helpers::{TestApp, TestTenant, spawn_configured, spawn_tenant, test_settings, user};

/// What a proxy (or someone pretending to be one) adds, one way or the other.
const PROXY_HEADERS: [&[(&str, &str)]; 2] = [
    &[
        ("x-forwarded-host", "scim.example.com"),
        ("x-forwarded-proto", "https"),
    ],
    &[(
        "forwarded",
        "for=203.0.113.9;host=scim.example.com;proto=https",
    )],
];

/// Creates a user with `headers` and returns its `Location` and `meta.location`.
async fn locations(
    app: &TestApp,
    tenant: &TestTenant,
    user_name: &str,
    headers: &[(&str, &str)],
) -> (String, String) {
    let mut request = app.post_request(tenant, "/Users", &user(user_name));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request sent");
    assert_eq!(response.status(), 201);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.expect("json body");
    let meta = body["meta"]["location"].as_str().unwrap_or_default();
    (location, meta.to_owned())
}

#[tokio::test]
async fn proxy_headers_from_an_untrusted_peer_are_ignored_for_the_host_header() {
    // Arrange: no trusted proxies (the default), so the loopback peer is no proxy.
    let (app, acme) = spawn_tenant("acme").await;
    // `http://127.0.0.1:<port>/t/acme/scim/v2`: the Host header reqwest sends, plain http.
    let expected = &acme.base;

    for (i, headers) in PROXY_HEADERS.iter().enumerate() {
        // Act
        let (location, meta) = locations(&app, &acme, &format!("user{i}"), headers).await;

        // Assert
        assert!(
            location.starts_with(&format!("{expected}/Users/")),
            "{headers:?}: {location}"
        );
        assert_eq!(meta, location);
    }
}

#[tokio::test]
async fn proxy_headers_from_a_trusted_proxy_name_host_and_scheme() {
    // Arrange
    let app = spawn_configured(|s| s.trusted_proxies = "127.0.0.1/32".into()).await;
    let acme = app.tenant("acme").await;

    for (i, headers) in PROXY_HEADERS.iter().enumerate() {
        // Act
        let (location, meta) = locations(&app, &acme, &format!("user{i}"), headers).await;

        // Assert
        assert!(
            location.starts_with("https://scim.example.com/t/acme/scim/v2/Users/"),
            "{headers:?}: {location}"
        );
        assert_eq!(meta, location);
    }
}

#[tokio::test]
async fn trusted_proxies_that_do_not_parse_stop_the_start_naming_the_setting() {
    // Arrange
    let data = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(&data);
    settings.trusted_proxies = "10.0.0.0/8, 10.0.0/8".into();
    let conn = open_database(&settings).await.expect("database opens");

    // Act
    let outcome = build_state(&settings, conn).await;

    // Assert
    let Err(err @ StartupError::TrustedProxies(_)) = outcome else {
        panic!("a start with an unparsable SCIMGATE_TRUSTED_PROXIES");
    };
    let message = err.to_string();
    assert!(
        message.contains("SCIMGATE_TRUSTED_PROXIES") && message.contains("10.0.0/8"),
        "{message}"
    );
}
