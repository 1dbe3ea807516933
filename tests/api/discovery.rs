//! Discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`.
//! Public, read-only, and the same under `/t/{tenant}/scim/v2` and `/scim/v2`.

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{
    ENTERPRISE, GROUP_SCHEMA, LIST_RESPONSE, TestApp, TestTenant, USER_SCHEMA, assert_scim_error,
    header, spawn_app, spawn_tenant,
};

/// Every characteristic RFC 7643 §7 gives an attribute; clients read them literally.
const CHARACTERISTICS: [&str; 9] = [
    "name",
    "type",
    "multiValued",
    "description",
    "required",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
];

/// GET without any credentials.
async fn anonymous_get(url: &str) -> Response {
    reqwest::Client::new()
        .get(url)
        .send()
        .await
        .expect("request sent")
}

async fn ok_json(response: Response) -> Value {
    assert_eq!(response.status(), 200, "status");
    let content_type = header(&response, "content-type");
    assert!(
        content_type.starts_with("application/scim+json"),
        "content type {content_type}"
    );
    response.json().await.expect("json body")
}

/// The SCIM base URLs to check: the tenant's and the tenant-less one.
fn bases(app: &TestApp, tenant: &TestTenant) -> [String; 2] {
    [
        format!("{}/t/{}/scim/v2", app.origin, tenant.slug),
        format!("{}/scim/v2", app.origin),
    ]
}

fn find_by<'a>(items: &'a Value, key: &str, wanted: &str) -> &'a Value {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .find(|item| item[key] == wanted)
        .unwrap_or_else(|| panic!("no {key} == {wanted} in {items}"))
}

/// Checks every attribute and, recursively, every sub-attribute; returns how many it saw.
fn assert_all_characteristics(attributes: &Value, path: &str) -> usize {
    let attributes = attributes
        .as_array()
        .unwrap_or_else(|| panic!("{path}: attributes not an array"));
    let mut seen = 0;
    for attribute in attributes {
        let name = attribute["name"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: attribute without a name: {attribute}"));
        for key in CHARACTERISTICS {
            assert!(
                attribute.get(key).is_some_and(|v| !v.is_null()),
                "{path}{name} lacks {key}: {attribute}"
            );
        }
        seen += 1;
        if attribute["type"] == "complex" {
            let subs = &attribute["subAttributes"];
            assert!(
                subs.as_array().is_some_and(|s| !s.is_empty()),
                "complex {path}{name} has no subAttributes"
            );
            seen += assert_all_characteristics(subs, &format!("{path}{name}."));
        }
    }
    seen
}

#[tokio::test]
async fn service_provider_config_advertises_only_what_works() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    for base in bases(&app, &acme) {
        // Act
        let body = ok_json(anonymous_get(&format!("{base}/ServiceProviderConfig")).await).await;

        // Assert
        assert_eq!(
            body["schemas"],
            json!(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]),
            "{base}"
        );
        assert_eq!(body["patch"]["supported"], true, "{base}");
        assert_eq!(body["bulk"]["supported"], true, "{base}");
        assert!(
            body["bulk"]["maxOperations"]
                .as_u64()
                .is_some_and(|n| n > 0),
            "{base}"
        );
        assert_eq!(body["filter"]["supported"], true, "{base}");
        assert_eq!(body["sort"]["supported"], true, "{base}");
        assert_eq!(body["etag"]["supported"], true, "{base}");
        assert!(
            body["changePassword"]["supported"].is_boolean(),
            "changePassword in {body}"
        );
        let schemes = body["authenticationSchemes"]
            .as_array()
            .expect("authenticationSchemes array");
        assert!(
            schemes.iter().any(|s| s["type"] == "oauthbearertoken"),
            "no oauthbearertoken in {schemes:?}"
        );
        assert_eq!(body["meta"]["resourceType"], "ServiceProviderConfig");
        assert_eq!(
            body["meta"]["location"],
            format!("{base}/ServiceProviderConfig")
        );
    }
}

#[tokio::test]
async fn service_provider_config_advertises_the_configured_limits() {
    // Arrange: helpers configure max_page_size 200 and max_body_bytes 64 KiB.
    let app = spawn_app().await;

    // Act
    let body =
        ok_json(anonymous_get(&format!("{}/scim/v2/ServiceProviderConfig", app.origin)).await)
            .await;

    // Assert
    assert_eq!(body["filter"]["maxResults"], 200);
    assert_eq!(body["bulk"]["maxPayloadSize"], 65536);
}

#[tokio::test]
async fn resource_types_list_user_with_optional_enterprise_extension_and_group() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    for base in bases(&app, &acme) {
        // Act
        let body = ok_json(anonymous_get(&format!("{base}/ResourceTypes")).await).await;

        // Assert
        assert_eq!(body["schemas"], json!([LIST_RESPONSE]));
        assert_eq!(body["totalResults"], 2, "{body}");
        let resources = &body["Resources"];
        let user = find_by(resources, "id", "User");
        assert_eq!(user["name"], "User");
        assert_eq!(user["endpoint"], "/Users");
        assert_eq!(user["schema"], USER_SCHEMA);
        assert_eq!(
            user["schemaExtensions"],
            json!([{"schema": ENTERPRISE, "required": false}])
        );
        assert_eq!(
            user["meta"]["location"],
            format!("{base}/ResourceTypes/User")
        );
        let group = find_by(resources, "id", "Group");
        assert_eq!(group["endpoint"], "/Groups");
        assert_eq!(group["schema"], GROUP_SCHEMA);
        assert_eq!(
            group["meta"]["location"],
            format!("{base}/ResourceTypes/Group")
        );
    }
}

#[tokio::test]
async fn resource_type_user_is_served_alone() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    for base in bases(&app, &acme) {
        // Act
        let body = ok_json(anonymous_get(&format!("{base}/ResourceTypes/User")).await).await;

        // Assert
        assert_eq!(
            body["schemas"],
            json!(["urn:ietf:params:scim:schemas:core:2.0:ResourceType"])
        );
        assert_eq!(body["id"], "User", "{base}");
        assert_eq!(body["endpoint"], "/Users");
        assert_eq!(body["schema"], USER_SCHEMA);
        assert_eq!(
            body["schemaExtensions"],
            json!([{"schema": ENTERPRISE, "required": false}])
        );
        assert_eq!(body["meta"]["resourceType"], "ResourceType");
        assert_eq!(
            body["meta"]["location"],
            format!("{base}/ResourceTypes/User")
        );
    }
}

#[tokio::test]
async fn unknown_resource_type_is_a_scim_404() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = anonymous_get(&format!("{}/scim/v2/ResourceTypes/Printer", app.origin)).await;

    // Assert
    assert_scim_error(response, 404, None).await;
}

#[tokio::test]
async fn schemas_list_user_enterprise_user_and_group() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    for base in bases(&app, &acme) {
        // Act
        let body = ok_json(anonymous_get(&format!("{base}/Schemas")).await).await;

        // Assert
        assert_eq!(body["schemas"], json!([LIST_RESPONSE]));
        assert_eq!(body["totalResults"], 3, "{body}");
        for urn in [USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA] {
            let schema = find_by(&body["Resources"], "id", urn);
            assert_eq!(
                schema["schemas"],
                json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"])
            );
            assert!(schema["name"].is_string(), "name of {urn}");
            assert_eq!(schema["meta"]["location"], format!("{base}/Schemas/{urn}"));
        }
    }
}

#[tokio::test]
async fn every_schema_attribute_and_sub_attribute_has_all_characteristics() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let body = ok_json(anonymous_get(&format!("{}/scim/v2/Schemas", app.origin)).await).await;

    // Assert
    let schemas = body["Resources"].as_array().expect("Resources");
    assert_eq!(schemas.len(), 3);
    for schema in schemas {
        let id = schema["id"].as_str().expect("schema id");
        let seen = assert_all_characteristics(&schema["attributes"], &format!("{id}:"));
        assert!(seen > 0, "{id} has no attributes");
    }
}

#[tokio::test]
async fn user_schema_marks_user_name_required_unique_and_password_write_only() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let body =
        ok_json(anonymous_get(&format!("{}/scim/v2/Schemas/{USER_SCHEMA}", app.origin)).await)
            .await;

    // Assert
    assert_eq!(body["id"], USER_SCHEMA);
    let user_name = find_by(&body["attributes"], "name", "userName");
    assert_eq!(user_name["required"], true);
    assert_eq!(user_name["uniqueness"], "server");
    let password = find_by(&body["attributes"], "name", "password");
    assert_eq!(password["mutability"], "writeOnly");
    assert_eq!(password["returned"], "never");
}

#[tokio::test]
async fn each_schema_is_served_by_its_urn() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    for base in bases(&app, &acme) {
        for urn in [USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA] {
            // Act
            let body = ok_json(anonymous_get(&format!("{base}/Schemas/{urn}")).await).await;

            // Assert
            assert_eq!(body["id"], urn);
            assert_eq!(body["meta"]["resourceType"], "Schema");
            assert_eq!(body["meta"]["location"], format!("{base}/Schemas/{urn}"));
            assert_all_characteristics(&body["attributes"], &format!("{urn}:"));
        }
    }
}

#[tokio::test]
async fn unknown_schema_is_a_scim_404() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = anonymous_get(&format!(
        "{}/scim/v2/Schemas/urn:example:params:scim:schemas:Printer",
        app.origin
    ))
    .await;

    // Assert
    assert_scim_error(response, 404, None).await;
}

#[tokio::test]
async fn writing_to_discovery_endpoints_is_a_scim_405() {
    // Arrange
    let (app, tenant) = spawn_tenant("acme").await;
    let paths = [
        "/ServiceProviderConfig".to_owned(),
        "/ResourceTypes".to_owned(),
        "/ResourceTypes/User".to_owned(),
        "/Schemas".to_owned(),
        format!("/Schemas/{USER_SCHEMA}"),
    ];
    let body = json!({"schemas": [USER_SCHEMA], "userName": "x"});

    for path in &paths {
        for (method, request) in [
            ("POST", app.post_request(&tenant, path, &body)),
            ("PUT", app.put_request(&tenant, path, &body)),
            ("DELETE", app.delete_request(&tenant, path)),
        ] {
            // Act
            let response = request.send().await.expect("request sent");

            // Assert
            assert_eq!(response.status(), 405, "{method} {path} must be refused");
            assert_scim_error(response, 405, None).await;
        }
    }
}
