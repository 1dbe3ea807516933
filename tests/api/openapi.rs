//! `GET /openapi.json`: the document lists exactly the routes the server serves, is OpenAPI
//! 3.1, and describes every error as a SCIM error (RFC 6749's on `/oauth/token`).

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

const SCIM_RESOURCE: &[(&str, &str)] = &[
    ("GET", ""),
    ("POST", ""),
    ("POST", "/.search"),
    ("GET", "/{id}"),
    ("PUT", "/{id}"),
    ("PATCH", "/{id}"),
    ("DELETE", "/{id}"),
];

const SCIM_ROOT: &[(&str, &str)] = &[
    ("POST", "/.search"),
    ("POST", "/Bulk"),
    ("GET", "/Me"),
    ("POST", "/Me"),
    ("PUT", "/Me"),
    ("PATCH", "/Me"),
    ("DELETE", "/Me"),
    ("GET", "/ServiceProviderConfig"),
    ("GET", "/ResourceTypes"),
    ("GET", "/ResourceTypes/{id}"),
    ("GET", "/Schemas"),
    ("GET", "/Schemas/{id}"),
];

/// A tenant's admin objects: (method, path under the tenant, whether the operator reaches it
/// under `/tenants/{slug}` rather than directly under `/admin/v1`).
const ADMIN_OBJECTS: &[(&str, &str, bool)] = &[
    ("GET", "/tokens", true),
    ("POST", "/tokens", true),
    ("GET", "/tokens/{id}", false),
    ("PATCH", "/tokens/{id}", false),
    ("DELETE", "/tokens/{id}", false),
    ("GET", "/clients", true),
    ("POST", "/clients", true),
    ("GET", "/clients/{client_id}", false),
    ("PATCH", "/clients/{client_id}", false),
    ("DELETE", "/clients/{client_id}", false),
    ("GET", "/trusted-issuers", true),
    ("POST", "/trusted-issuers", true),
    ("DELETE", "/trusted-issuers/{id}", true),
    ("GET", "/audit", true),
    ("GET", "/webhooks", true),
    ("POST", "/webhooks", true),
    ("GET", "/webhooks/{id}", true),
    ("PATCH", "/webhooks/{id}", true),
    ("DELETE", "/webhooks/{id}", true),
    ("POST", "/webhooks/{id}/rotate-secret", true),
    ("GET", "/webhooks/{id}/deliveries", true),
    ("POST", "/webhooks/{id}/replay", true),
    ("POST", "/tokens/{id}/rotate", false),
    ("GET", "/setup-links", true),
    ("POST", "/setup-links", true),
    ("DELETE", "/setup-links/{id}", true),
    ("GET", "/lifecycle", true),
    ("PUT", "/lifecycle", true),
    ("GET", "/archive", true),
    ("POST", "/archive/{id}/restore", true),
];

const SINGLE: &[(&str, &str)] = &[
    ("GET", "/admin/v1/tenants"),
    ("POST", "/admin/v1/tenants"),
    ("GET", "/admin/v1/tenants/{slug}"),
    ("POST", "/oauth/token"),
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/.well-known/oauth-authorization-server"),
    ("GET", "/t/{tenant}/events"),
    ("POST", "/t/{tenant}/events/poll"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
];

/// Every (method, path) the router in `api/src/routes` serves, written out independently.
fn served_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    let mut add = |method: &str, path: String| routes.insert((method.to_owned(), path));
    for base in ["/t/{tenant}/scim/v2", "/scim/v2"] {
        for kind in ["/Users", "/Groups"] {
            for (method, rest) in SCIM_RESOURCE {
                add(method, format!("{base}{kind}{rest}"));
            }
        }
        for (method, rest) in SCIM_ROOT {
            add(method, format!("{base}{rest}"));
        }
    }
    for (method, rest, under_tenant) in ADMIN_OBJECTS {
        add(method, format!("/t/{{tenant}}/admin/v1{rest}"));
        let operator = if *under_tenant {
            "/admin/v1/tenants/{slug}"
        } else {
            "/admin/v1"
        };
        add(method, format!("{operator}{rest}"));
    }
    for (method, path) in SINGLE {
        add(method, (*path).to_owned());
    }
    routes
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn document(app: &TestApp) -> Value {
    let response = app.get_public("/openapi.json").await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    response.json().await.unwrap()
}

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if item.get(method).is_some() {
                routes.insert((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn openapi_json_documents_exactly_the_served_routes() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    let documented = documented_routes(&doc);
    let expected = served_routes();
    let missing: Vec<_> = expected.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&expected).collect();
    assert!(missing.is_empty(), "served but not documented: {missing:?}");
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

/// Whether the router has a route for the request: neither 405 nor "no such endpoint".
async fn is_served(app: &TestApp, method: &str, path: &str) -> bool {
    let concrete = path
        .replace("{tenant}", "acme")
        .replace("{slug}", "acme")
        .replace("{client_id}", "sgc_unknown")
        .replace("{id}", "unknown");
    let response = app
        .client
        .request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{concrete}", app.origin),
        )
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    !(status == 405 || status == 404 && body["detail"] == "no such endpoint")
}

/// A method added to a documented path without an annotation makes this fail.
#[tokio::test]
async fn every_documented_operation_is_served_and_no_other_method_is() {
    let app = spawn_app().await;
    let doc = document(&app).await;

    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            let documented = item.get(method).is_some();
            let served = is_served(&app, &method.to_ascii_uppercase(), path).await;
            assert_eq!(served, documented, "{method} {path}: served {served}");
        }
    }
}

fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(doc, doc.pointer(pointer).unwrap_or(&Value::Null))
        }
        None => node,
    }
}

#[tokio::test]
async fn openapi_json_is_3_1_and_every_error_is_a_scim_error_or_an_oauth_error() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    let scim_error = &doc["components"]["schemas"]["ScimError"];
    assert_eq!(scim_error["properties"]["status"]["type"], "string");
    let required: Vec<&str> = scim_error["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        required.contains(&"schemas") && required.contains(&"status"),
        "{required:?}"
    );
    assert!(scim_error["properties"].get("scimType").is_some());
    assert!(scim_error["properties"].get("detail").is_some());
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            for range in ["4XX", "5XX"] {
                let response = resolve(&doc, &operation["responses"][range]);
                let (media_type, schema) = if path == "/oauth/token" {
                    ("application/json", "#/components/schemas/OAuthError")
                } else {
                    ("application/scim+json", "#/components/schemas/ScimError")
                };
                assert_eq!(
                    response["content"][media_type]["schema"]["$ref"], schema,
                    "{method} {path} {range}"
                );
            }
        }
    }
}

fn references(node: &Value, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target.clone());
            }
            map.values().for_each(|v| references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_in_openapi_json_resolves() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    let mut found = Vec::new();
    references(&doc, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let pointer = target.strip_prefix('#').unwrap_or(&target);
        assert!(
            doc.pointer(pointer).is_some(),
            "unresolvable reference {target}"
        );
    }
}

#[tokio::test]
async fn scim_request_bodies_are_documented_as_scim_json() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    let create = &doc["paths"]["/t/{tenant}/scim/v2/Users"]["post"];
    assert!(
        create["requestBody"]["content"]
            .get("application/scim+json")
            .is_some()
    );
    assert!(
        create["responses"]["201"]["content"]
            .get("application/scim+json")
            .is_some()
    );
    let tenant = create["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "tenant")
        .expect("tenant parameter");
    assert_eq!(tenant["in"], "path");
    assert_eq!(create["security"][0]["bearer"], serde_json::json!([]));
    let operator = &doc["paths"]["/admin/v1/tenants/{slug}/tokens"]["post"];
    assert_eq!(operator["security"][0]["adminKey"], serde_json::json!([]));
}
