//! Every failure is a SCIM error body (RFC 7644 §3.12) with the status and `scimType` the RFC
//! names: unknown routes, wrong methods, bad bodies, unsupported query features.

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, USER_SCHEMA, assert_scim_error, spawn_app, user};

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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let unknown_tenant_route = app
        .client
        .get(format!("{}/t/x/scim/v2/Nope", app.origin))
        .send()
        .await
        .expect("request sent");
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
    let response = app
        .client
        .get(format!("{}/nothing", app.origin))
        .send()
        .await
        .expect("request sent");

    // Assert
    assert_scim_error(response, 404, None).await;
}

#[tokio::test]
async fn post_on_a_single_user_is_a_scim_405() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    app.create_user(&acme, "ada").await;

    // Act
    let response = app.delete(&acme, "/Users").await;

    // Assert
    assert_scim_error(response, 405, None).await;
    assert_eq!(app.total(&acme, "/Users").await, 1);
}

#[tokio::test]
async fn unparsable_json_is_invalid_syntax() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let response = post_raw(
        &app,
        &acme,
        "application/scim+json",
        r#"{"schemas": ["#.to_owned(),
    )
    .await;

    // Assert
    assert_scim_error(response, 400, Some("invalidSyntax")).await;
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn json_array_body_is_invalid_syntax() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let response = post_raw(
        &app,
        &acme,
        "application/scim+json",
        json!([user("ada")]).to_string(),
    )
    .await;

    // Assert
    assert_scim_error(response, 400, Some("invalidSyntax")).await;
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn text_plain_body_is_unsupported_media_type() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let response = post_raw(&app, &acme, "text/plain", user("ada").to_string()).await;

    // Assert
    assert_scim_error(response, 415, None).await;
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn plain_application_json_is_accepted() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

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
async fn body_over_64_kib_is_payload_too_large() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let mut big = user("ada");
    big["displayName"] = json!("x".repeat(65 * 1024));

    // Act
    let response = post_user(&app, &acme, &big).await;

    // Assert
    assert_scim_error(response, 413, None).await;
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn body_just_under_the_limit_is_accepted() {
    // Arrange: proves the 413 above is about size, not about long strings.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let mut large = user("ada");
    large["displayName"] = json!("x".repeat(60 * 1024));

    // Act
    let response = post_user(&app, &acme, &large).await;

    // Assert
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn missing_schemas_is_invalid_syntax() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let mut body = user("ada");
    body.as_object_mut().expect("object").remove("schemas");

    // Act
    let response = post_user(&app, &acme, &body).await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidSyntax")).await;
    assert!(detail(&error).contains("schemas"), "detail: {error}");
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn unknown_attribute_is_invalid_value() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let mut body = user("ada");
    body["favouriteColour"] = json!("green");

    // Act
    let response = post_user(&app, &acme, &body).await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(
        detail(&error).contains("favouriteColour"),
        "detail: {error}"
    );
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn wrongly_typed_value_is_invalid_value() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let mut body = user("ada");
    body["active"] = json!(7);

    // Act
    let response = post_user(&app, &acme, &body).await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(detail(&error).contains("active"), "detail: {error}");
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn missing_user_name_is_invalid_value() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let body = json!({"schemas": [USER_SCHEMA], "displayName": "Ada"});

    // Act
    let response = post_user(&app, &acme, &body).await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(detail(&error).contains("userName"), "detail: {error}");
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn malformed_or_unknown_filters_are_invalid_filter_never_ignored() {
    // Arrange: two users, so an unfiltered answer would be visible.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let response = app.get(&acme, "/Users?startIndex=abc").await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(detail(&error).contains("startIndex"), "detail: {error}");
}

#[tokio::test]
async fn id_that_is_no_uuid_is_a_scim_404() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
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
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;

    // Act
    let response = app.get(&acme, "/Me").await;

    // Assert
    assert_scim_error(response, 501, None).await;
}
