//! Every failure is a SCIM error body (RFC 7644 §3.12) with the status and `scimType` the RFC
//! names: unknown routes, wrong methods, bad bodies, unsupported query features.

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, TestTenant, USER_SCHEMA, assert_scim_error, spawn_app, spawn_tenant, user,
};

/// POST `body` as raw bytes with the given content type.
async fn post_raw(
    app: &TestApp,
    tenant: &TestTenant,
    content_type: &str,
    body: String,
) -> Response {
    app.client
        .post(format!("{}/Users", tenant.base))
        .bearer_auth(&tenant.token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("request sent")
}

async fn post_user(app: &TestApp, tenant: &TestTenant, body: &Value) -> Response {
    app.post(tenant, "/Users", body).await
}

fn detail(body: &Value) -> String {
    body["detail"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn unknown_scim_route_is_a_scim_404() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let unknown_tenant_route = app.get_public("/t/x/scim/v2/Nope").await;
    let unknown_endpoint = app.get(&acme, "/Nope").await;

    // Assert
    assert_scim_error(unknown_tenant_route, 404, None).await;
    assert_scim_error(unknown_endpoint, 404, None).await;
}

#[tokio::test]
async fn unknown_path_outside_scim_is_a_scim_404() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.get_public("/nothing").await;

    // Assert
    assert_scim_error(response, 404, None).await;
}

#[tokio::test]
async fn post_on_a_single_user_is_a_scim_405() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let id = ada["id"].as_str().expect("id");

    // Act
    let response = app.post(&acme, &format!("/Users/{id}"), &json!({})).await;

    // Assert
    assert_scim_error(response, 405, None).await;
}

#[tokio::test]
async fn delete_on_the_users_collection_is_a_scim_405() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;

    // Act
    let response = app.delete(&acme, "/Users").await;

    // Assert
    assert_scim_error(response, 405, None).await;
    assert_eq!(app.total(&acme, "/Users").await, 1);
}

/// A create the server must refuse, and how.
struct Refused {
    case: &'static str,
    content_type: &'static str,
    body: String,
    status: u16,
    scim_type: Option<&'static str>,
    /// What the error's `detail` must name, when it names the culprit.
    names: Option<&'static str>,
}

fn refused(case: &'static str, body: &Value, status: u16, scim_type: &'static str) -> Refused {
    Refused {
        case,
        content_type: "application/scim+json",
        body: body.to_string(),
        status,
        scim_type: Some(scim_type),
        names: None,
    }
}

#[tokio::test]
async fn refused_creates_get_their_scim_error_and_write_nothing() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let mut oversized = user("ada");
    oversized["displayName"] = json!("x".repeat(65 * 1024));
    let mut without_schemas = user("ada");
    without_schemas
        .as_object_mut()
        .expect("object")
        .remove("schemas");
    let mut unknown_attribute = user("ada");
    unknown_attribute["favouriteColour"] = json!("green");
    let mut wrongly_typed = user("ada");
    wrongly_typed["active"] = json!(7);
    let cases = [
        Refused {
            body: r#"{"schemas": ["#.to_owned(),
            ..refused("unparsable JSON", &json!({}), 400, "invalidSyntax")
        },
        refused("a JSON array", &json!([user("ada")]), 400, "invalidSyntax"),
        Refused {
            content_type: "text/plain",
            scim_type: None,
            ..refused("text/plain", &user("ada"), 415, "")
        },
        Refused {
            scim_type: None,
            ..refused("a body over 64 KiB", &oversized, 413, "")
        },
        Refused {
            names: Some("schemas"),
            ..refused("no schemas", &without_schemas, 400, "invalidSyntax")
        },
        Refused {
            names: Some("favouriteColour"),
            ..refused(
                "an unknown attribute",
                &unknown_attribute,
                400,
                "invalidValue",
            )
        },
        Refused {
            names: Some("active"),
            ..refused("a wrongly typed value", &wrongly_typed, 400, "invalidValue")
        },
        Refused {
            names: Some("userName"),
            ..refused(
                "no userName",
                &json!({"schemas": [USER_SCHEMA], "displayName": "Ada"}),
                400,
                "invalidValue",
            )
        },
    ];

    for case in cases {
        // Act
        let response = post_raw(&app, &acme, case.content_type, case.body).await;

        // Assert
        assert_eq!(response.status().as_u16(), case.status, "{}", case.case);
        let error = assert_scim_error(response, case.status, case.scim_type).await;
        if let Some(culprit) = case.names {
            assert!(detail(&error).contains(culprit), "{}: {error}", case.case);
        }
        assert_eq!(app.total(&acme, "/Users").await, 0, "{}", case.case);
    }
}

#[tokio::test]
async fn plain_application_json_is_accepted() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = post_raw(
        &app,
        &acme,
        "application/json; charset=utf-8",
        user("ada").to_string(),
    )
    .await;

    // Assert
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["userName"], "ada");
    assert_eq!(app.total(&acme, "/Users").await, 1);
}

#[tokio::test]
async fn body_just_under_the_limit_is_accepted() {
    // Arrange: proves the 413 for a body over 64 KiB is about size, not about long strings.
    let (app, acme) = spawn_tenant("acme").await;
    let mut large = user("ada");
    large["displayName"] = json!("x".repeat(60 * 1024));

    // Act
    let response = post_user(&app, &acme, &large).await;

    // Assert
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn malformed_or_unknown_filters_are_invalid_filter_never_ignored() {
    // Arrange: two users, so an unfiltered answer would be visible.
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;
    app.create_user(&acme, "grace").await;

    for path in [
        "/Users?filter=userName%20eqq%20%22ada%22",
        "/Users?filter=",
        "/Users?Filter=(userName%20eq%20%22ada%22",
        "/Users?filter=shoeSize%20gt%2040",
        "/Users?filter=emails.shoe%20eq%20%22x%22",
        "/Groups?filter=userName%20eq%20%22x%22",
    ] {
        // Act
        let response = app.get(&acme, path).await;

        // Assert
        assert_eq!(response.status(), 400, "GET {path}");
        assert_scim_error(response, 400, Some("invalidFilter")).await;
    }
}

#[tokio::test]
async fn unknown_sort_order_or_sort_attribute_is_invalid_value() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;

    for path in [
        "/Users?sortBy=userName&sortOrder=sideways",
        "/Users?sortBy=name",
    ] {
        // Act
        let response = app.get(&acme, path).await;

        // Assert
        assert_scim_error(response, 400, Some("invalidValue")).await;
    }
}

#[tokio::test]
async fn non_numeric_start_index_is_invalid_value() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = app.get(&acme, "/Users?startIndex=abc").await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(detail(&error).contains("startIndex"), "detail: {error}");
}

#[tokio::test]
async fn id_that_is_no_uuid_is_a_scim_404() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    for path in ["/Users/not-a-uuid", "/Groups/42"] {
        // Act
        let response = app.get(&acme, path).await;

        // Assert
        assert_eq!(response.status(), 404, "GET {path}");
        assert_scim_error(response, 404, None).await;
    }
}

#[tokio::test]
async fn successful_responses_are_application_scim_json() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let created = post_user(&app, &acme, &user("ada")).await;
    let id = {
        assert_eq!(created.status(), 201);
        assert_scim_content_type(&created);
        let body: Value = created.json().await.expect("json body");
        body["id"].as_str().expect("id").to_owned()
    };

    for path in [
        format!("/Users/{id}"),
        "/Users".to_owned(),
        "/Groups".to_owned(),
        "/ServiceProviderConfig".to_owned(),
    ] {
        // Act
        let response = app.get(&acme, &path).await;

        // Assert
        assert_eq!(response.status(), 200, "GET {path}");
        assert_scim_content_type(&response);
    }
}

fn assert_scim_content_type(response: &Response) {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/scim+json"),
        "{} content type {content_type}",
        response.url()
    );
}

#[tokio::test]
async fn a_failing_database_is_a_scim_503_without_internals_and_service_recovers() {
    use sea_orm::ConnectionTrait;
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;

    // Act: take the table away, then give it back.
    app.db
        .execute_unprepared("ALTER TABLE resources RENAME TO resources_away")
        .await
        .expect("rename");
    let broken = app.get(&acme, "/Users").await;
    let broken_body = assert_scim_error(broken, 503, None).await;
    app.db
        .execute_unprepared("ALTER TABLE resources_away RENAME TO resources")
        .await
        .expect("rename back");
    let recovered = app.get(&acme, "/Users").await;

    // Assert
    let detail = broken_body["detail"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        !detail.contains("resources") && !detail.contains("sql"),
        "{detail}"
    );
    assert_eq!(recovered.status(), 200);
}

#[tokio::test]
async fn me_is_not_implemented_as_the_rfc_says() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = app.get(&acme, "/Me").await;

    // Assert
    assert_scim_error(response, 501, None).await;
}
