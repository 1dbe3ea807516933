//! The partner story, end to end over HTTP as the people in it would live it: the operator
//! creates the tenant and hands its admin a `scim:admin` token; the tenant admin creates a
//! client for partner A (`org=partner-a`, an attribute allow-list, `scim:users:write`); the
//! partner trades its credentials for a JWT with the `oauth2` crate and manages only its own
//! users and only the attributes it may, over plain requests and over Bulk alike.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{exchange, tenant_admin};
use crate::helpers::{
    ENTERPRISE, GROUP_SCHEMA, TestApp, TestTenant, USER_SCHEMA, assert_scim_error, bulk,
    bulk_statuses, org_path, org_row_filter, patch_op, spawn_configured, status_json, texts,
};
use crate::oauth::bearer::resign;
use crate::oauth::support::{TestClient, access_token};

/// Access tokens live this long here, so the story can watch one expire.
const TOKEN_TTL_SECS: u64 = 2;
/// scimgate's leeway on `exp`.
const LEEWAY_SECS: u64 = 5;

fn user(user_name: &str, org: &str) -> Value {
    json!({"schemas": [USER_SCHEMA, ENTERPRISE], "userName": user_name, "active": true,
           ENTERPRISE: {"organization": org}})
}

/// The story's cast: the operator's full token (to look behind the partner's back), the
/// partner's JWT, and the moment it was issued.
struct Cast {
    operator: TestTenant,
    partner: TestTenant,
    issued: Instant,
}

async fn cast(app: &TestApp) -> Cast {
    // The operator creates the tenant and a token for the tenant's admin.
    let operator = |method: Method, path: &str| app.operator(method, path);
    let (status, _, _) =
        exchange(operator(Method::POST, "/tenants").json(&json!({"slug": "acme"}))).await;
    assert_eq!(status, 201);
    let (_, admin, _) = exchange(
        operator(Method::POST, "/tenants/acme/tokens")
            .json(&json!({"name": "acme-admin", "scopes": ["scim:admin"]})),
    )
    .await;
    let admin = admin["token"].as_str().unwrap().to_owned();
    let (_, full, _) =
        exchange(operator(Method::POST, "/tenants/acme/tokens").json(&json!({"name": "acme-idp"})))
            .await;

    // The tenant admin creates the partner's client.
    let allowed = ["userName", "name", "emails", "active", org_path().as_str()].map(str::to_owned);
    let policy = json!({
        "userFilter": org_row_filter(),
        "readable": allowed,
        "writable": allowed,
    });
    let body = json!({"name": "partner-a", "scopes": ["scim:users:write", "scim:bulk"],
                      "claims": {"org": "partner-a"}, "policy": policy});
    let (status, client, _) =
        exchange(tenant_admin(app, Method::POST, "acme", "/clients", &admin).json(&body)).await;
    assert_eq!(status, 201, "{client}");
    let client = TestClient::from_created(&client);

    // The partner gets its token at /oauth/token. Its `iat` is at or before the moment the
    // answer arrives, so expiry is measured from then: measured before the call, a call
    // crossing a second boundary made the token look expired a second early.
    let partner_token = access_token(app, &client).await;
    let issued = Instant::now();
    let operator = TestTenant {
        slug: "acme".into(),
        token: full["token"].as_str().unwrap().to_owned(),
        base: format!("{}/t/acme/scim/v2", app.origin),
    };
    Cast {
        partner: operator.with_token(partner_token),
        operator,
        issued,
    }
}

async fn story_app() -> TestApp {
    spawn_configured(|s| s.oauth_token_ttl = Duration::from_secs(TOKEN_TTL_SECS)).await
}

fn request(app: &TestApp, who: &TestTenant, method: Method, path: &str) -> reqwest::RequestBuilder {
    app.request(method, who, path)
        .header("Content-Type", "application/scim+json")
}

/// `GET /Users` of the partner's tenant with another bearer token.
fn users_with(app: &TestApp, partner: &TestTenant, token: &str) -> reqwest::RequestBuilder {
    app.get_request(&partner.with_token(token), "/Users")
}

#[tokio::test]
async fn the_partner_manages_only_its_own_users_and_attributes() {
    // Arrange
    let app = story_app().await;
    let Cast {
        operator,
        partner,
        issued,
    } = cast(&app).await;
    let (_, theirs) = status_json(
        request(&app, &operator, Method::POST, "/Users").json(&user("b1", "partner-b")),
    )
    .await;
    let theirs = format!("/Users/{}", theirs["id"].as_str().unwrap());
    let globex = app.tenant("globex").await;

    // Act and assert: what the partner may do.
    let (created, ours) =
        status_json(request(&app, &partner, Method::POST, "/Users").json(&user("a1", "partner-a")))
            .await;
    assert_eq!(created, 201, "{ours}");
    let ours = format!("/Users/{}", ours["id"].as_str().unwrap());
    let (listed, list) = status_json(request(&app, &partner, Method::GET, "/Users")).await;
    assert_eq!(
        (listed, list["totalResults"].as_u64()),
        (200, Some(1)),
        "{list}"
    );
    assert_eq!(list["Resources"][0]["userName"], "a1");
    let rename = patch_op(json!([{"op": "replace", "path": "name.givenName", "value": "Ada"}]));
    let (patched, body) =
        status_json(request(&app, &partner, Method::PATCH, &ours).json(&rename)).await;
    assert_eq!(patched, 200, "{body}");
    assert_eq!(body["name"]["givenName"], "Ada");

    // Act and assert: what it may not.
    let refusals = [
        (
            "another org's user by id",
            request(&app, &partner, Method::GET, &theirs),
            404,
        ),
        (
            "a filter on a hidden attribute",
            request(&app, &partner, Method::GET, "/Users?filter=title%20pr"),
            403,
        ),
        (
            "a sort on a hidden attribute",
            request(&app, &partner, Method::GET, "/Users?sortBy=title"),
            403,
        ),
        (
            "moving its user to another org",
            request(&app, &partner, Method::PATCH, &ours).json(&patch_op(
                json!([{"op": "replace", "path": org_path(), "value": "partner-b"}]),
            )),
            403,
        ),
        (
            "a write to an unwritable attribute",
            request(&app, &partner, Method::PATCH, &ours).json(&patch_op(
                json!([{"op": "add", "path": "title", "value": "CEO"}]),
            )),
            403,
        ),
        (
            "Groups without the scope",
            request(&app, &partner, Method::GET, "/Groups"),
            403,
        ),
        (
            "a re-signed token",
            users_with(&app, &partner, &resign(&partner.token)),
            401,
        ),
        (
            "a token of another tenant",
            users_with(&app, &partner, &globex.token),
            401,
        ),
    ];
    for (what, builder, expected) in refusals {
        let response = builder.send().await.unwrap();
        assert_eq!(response.status().as_u16(), expected, "{what}");
    }
    let (_, untouched) = status_json(request(&app, &operator, Method::GET, &ours)).await;
    assert_eq!(untouched[ENTERPRISE]["organization"], "partner-a");
    assert!(untouched.get("title").is_none(), "{untouched}");
    let (deleted, _) = status_json(request(&app, &partner, Method::DELETE, &ours)).await;
    assert_eq!(deleted, 204);

    // And once its token has expired, nothing.
    let expired_at = issued + Duration::from_secs(TOKEN_TTL_SECS + LEEWAY_SECS + 1);
    tokio::time::sleep(expired_at.saturating_duration_since(Instant::now())).await;
    let late = request(&app, &partner, Method::GET, "/Users")
        .send()
        .await
        .unwrap();
    assert_scim_error(late, 401, None).await;
}

#[tokio::test]
async fn the_same_story_over_bulk() {
    // Arrange
    let app = story_app().await;
    let Cast {
        operator, partner, ..
    } = cast(&app).await;
    let (_, ours) = status_json(
        request(&app, &operator, Method::POST, "/Users").json(&user("a1", "partner-a")),
    )
    .await;
    let (_, theirs) = status_json(
        request(&app, &operator, Method::POST, "/Users").json(&user("b1", "partner-b")),
    )
    .await;
    let ours = format!("/Users/{}", ours["id"].as_str().unwrap());
    let theirs = format!("/Users/{}", theirs["id"].as_str().unwrap());
    let operations = json!([
        {"method": "POST", "path": "/Users", "bulkId": "new", "data": user("a2", "partner-a")},
        {"method": "PATCH", "path": "/Users/bulkId:new", "data":
            patch_op(json!([{"op": "replace", "path": "active", "value": false}]))},
        {"method": "POST", "path": "/Users", "bulkId": "out", "data": user("b2", "partner-b")},
        {"method": "PATCH", "path": ours, "data":
            patch_op(json!([{"op": "replace", "path": org_path(), "value": "partner-b"}]))},
        {"method": "PATCH", "path": ours, "data":
            patch_op(json!([{"op": "add", "path": "title", "value": "CEO"}]))},
        {"method": "DELETE", "path": theirs},
        {"method": "POST", "path": "/Groups", "bulkId": "group", "data":
            {"schemas": [GROUP_SCHEMA], "displayName": "partners"}},
        {"method": "DELETE", "path": ours},
    ]);

    // Act
    let (answered, bulk) =
        status_json(request(&app, &partner, Method::POST, "/Bulk").json(&bulk(operations))).await;

    // Assert
    assert_eq!(answered, 200, "{bulk}");
    let statuses = bulk_statuses(&bulk);
    assert_eq!(
        statuses,
        ["201", "200", "403", "403", "403", "404", "403", "204"],
        "{bulk}"
    );
    let (still_there, _) = status_json(request(&app, &operator, Method::GET, &theirs)).await;
    assert_eq!(still_there, 200);
    let (_, listed) = status_json(request(&app, &operator, Method::GET, "/Users")).await;
    let names = texts(&listed, "Resources", "userName");
    assert_eq!(names.len(), 2, "{listed}");
    assert!(
        names.contains(&"a2".into()) && names.contains(&"b1".into()),
        "{listed}"
    );
}
