//! A string holding U+0000 anywhere in a body is 400 `invalidValue` naming the attribute, on
//! both databases (PostgreSQL cannot store it and used to answer 503) and on every path that
//! takes a body: POST, PUT, PATCH, Bulk, `.search`, the operator and tenant admin APIs.

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

use crate::admin_support::{admin_token, tenant_admin};
use crate::helpers::{
    ADMIN_KEY, ENTERPRISE, SEARCH_REQUEST, assert_scim_error, bulk, patch_op, send, spawn_tenant,
    texts, user,
};

/// Sends `request`, expects 400 `invalidValue` and returns the detail.
async fn refused(request: RequestBuilder) -> String {
    let response = request.send().await.unwrap();
    let body = assert_scim_error(response, 400, Some("invalidValue")).await;
    body["detail"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn scim_writes_with_a_nul_are_invalid_value_naming_the_attribute() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", ada["id"].as_str().unwrap());

    let mut cases = Vec::new();
    for (attribute, change) in [
        ("userName", json!({"userName": "ev\u{0}e"})),
        ("name.givenName", json!({"name": {"givenName": "\u{0}"}})),
        (
            "emails[0].value",
            json!({"emails": [{"value": "e\u{0}@x.example"}]}),
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            json!({ENTERPRISE: {"department": "R\u{0}D"}}),
        ),
    ] {
        let mut body = user("eve");
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        cases.push((attribute, body));
    }
    for (attribute, body) in &cases {
        let post = refused(app.post_request(&acme, "/Users", body)).await;
        assert!(post.contains(&format!("'{attribute}'")), "{post}");
        let put = refused(app.put_request(&acme, &path, body)).await;
        assert!(put.contains(&format!("'{attribute}'")), "{put}");
    }

    let detail = refused(app.patch_request(
        &acme,
        &path,
        &patch_op(json!([
            {"op": "replace", "path": "title", "value": "Countess"},
            {"op": "add", "path": "nickName", "value": "a\u{0}"},
        ])),
    ))
    .await;
    assert!(detail.contains("'Operations[1].value'"), "{detail}");
    refused(app.patch_request(
        &acme,
        &path,
        &patch_op(json!([{"op": "add", "value": {ENTERPRISE: {"manager": {"value": "\u{0}"}}}}])),
    ))
    .await;

    let search = refused(app.post_request(
        &acme,
        "/Users/.search",
        &json!({"schemas": [SEARCH_REQUEST],
                "filter": "userName eq \"a\u{0}\""}),
    ))
    .await;
    assert!(search.contains("'filter'"), "{search}");

    assert_eq!(app.total(&acme, "/Users").await, 1);
    let stored: Value = app.get_json(&acme, &path).await;
    assert_eq!(stored, ada);
}

#[tokio::test]
async fn a_bulk_request_with_a_nul_is_refused_whole_before_any_write() {
    let (app, acme) = spawn_tenant("acme").await;

    let detail = refused(app.post_request(
        &acme,
        "/Bulk",
        &bulk(json!([
            {"method": "POST", "path": "/Users", "bulkId": "a", "data": user("ada")},
            {"method": "POST", "path": "/Groups", "bulkId": "g",
             "data": {"displayName": "eng\u{0}"}},
        ])),
    ))
    .await;

    assert!(
        detail.contains("'Operations[1].data.displayName'"),
        "{detail}"
    );
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn admin_bodies_with_a_nul_are_invalid_value() {
    let (app, _acme) = spawn_tenant("acme").await;
    let operator = |method: Method, path: &str, body: Value| {
        app.client
            .request(method, format!("{}/admin/v1{path}", app.origin))
            .bearer_auth(ADMIN_KEY)
            .header("Content-Type", "application/json")
            .body(body.to_string())
    };

    let tenant = refused(operator(
        Method::POST,
        "/tenants",
        json!({"slug": "globex", "name": "Globex\u{0}"}),
    ))
    .await;
    assert!(tenant.contains("'name'"), "{tenant}");
    refused(operator(
        Method::POST,
        "/tenants/acme/tokens",
        json!({"name": "okta\u{0}"}),
    ))
    .await;
    let claims = refused(operator(
        Method::POST,
        "/tenants/acme/clients",
        json!({"name": "sync", "claims": {"org": "a\u{0}"}}),
    ))
    .await;
    assert!(claims.contains("'claims.org'"), "{claims}");

    let admin = admin_token(&app, "acme").await;
    let own = refused(
        tenant_admin(&app, Method::POST, "acme", "/tokens", &admin.token)
            .body(json!({"name": "partner", "claims": {"\u{0}": "x"}}).to_string()),
    )
    .await;
    assert!(own.contains(r"claims.\0"), "{own}");
    let id = admin.id.clone();
    refused(
        tenant_admin(
            &app,
            Method::PATCH,
            "acme",
            &format!("/tokens/{id}"),
            &admin.token,
        )
        .body(json!({"name": "renamed\u{0}"}).to_string()),
    )
    .await;

    let tokens: Value = app.operator_get("/tenants/acme/tokens").await;
    let names = texts(&tokens, "tokens", "name");
    assert!(names.iter().all(|n| !n.contains('\0')), "{names:?}");
    assert_eq!(names.len(), 2, "{names:?}");
}

#[tokio::test]
async fn a_nul_in_the_query_string_or_a_path_segment_never_reaches_the_database() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;

    // Raw, and as the JSON escape the filter grammar's strings understand.
    for filter in ["userName eq \"a\u{0}\"", r#"userName eq "a\u0000""#] {
        let response = send(
            app.get_request(&acme, "/Users")
                .query(&[("filter", filter)]),
        )
        .await;
        assert_scim_error(response, 400, Some("invalidFilter")).await;
    }

    for path in ["/Users/a%00b", "/Groups/%00"] {
        let response = app.get(&acme, path).await;
        assert_scim_error(response, 404, None).await;
    }
    for url in [
        format!("{}/t/ac%00me/scim/v2/Users", app.origin),
        format!("{}/admin/v1/tenants/ac%00me", app.origin),
        format!("{}/admin/v1/tokens/a%00b", app.origin),
        format!("{}/admin/v1/clients/sgc_%00", app.origin),
        format!("{}/admin/v1/tenants/acme/trusted-issuers/%00", app.origin),
    ] {
        let token = if url.contains("/admin/") {
            ADMIN_KEY
        } else {
            acme.token.as_str()
        };
        let response = app
            .client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{url}: {status}");
    }
}
