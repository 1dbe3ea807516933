//! Bulk over HTTP (RFC 7644 §3.7): bulkId references in any order, per-operation results in
//! request order, `version` as If-Match, `failOnErrors`, and the advertised limits.

use scimgate_domain::scope::Scope;
use serde_json::{Value, json};

use crate::helpers::{
    BULK_REQUEST, BULK_RESPONSE, ERROR_SCHEMA, GROUP_SCHEMA, TestApp, TestTenant, USER_SCHEMA,
    assert_scim_error, bulk, group, member_ids, patch_op, spawn_app, spawn_configured,
    spawn_tenant, status_json, user,
};

/// Sends a BulkRequest and returns the BulkResponse's operations after checking the envelope.
async fn bulk_ok(app: &TestApp, tenant: &TestTenant, body: Value) -> Vec<Value> {
    let response = app.post(tenant, "/Bulk", &body).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["schemas"], json!([BULK_RESPONSE]));
    body["Operations"].as_array().unwrap().clone()
}

async fn fetch(app: &TestApp, tenant: &TestTenant, path: &str) -> (u16, Value) {
    status_json(app.get_request(tenant, path)).await
}

/// A failed operation's error `detail`.
fn detail(op: &Value) -> &str {
    op["response"]["detail"]
        .as_str()
        .unwrap_or_else(|| panic!("no detail in {op}"))
}

/// Asserts a failed operation's status, scimType and SCIM error body.
fn assert_failed(op: &Value, status: u16, scim_type: Option<&str>) {
    assert_eq!(op["status"], status.to_string(), "{op}");
    let response = &op["response"];
    assert_eq!(response["schemas"], json!([ERROR_SCHEMA]), "{op}");
    assert_eq!(response["status"], status.to_string(), "{op}");
    assert_eq!(
        response.get("scimType").and_then(Value::as_str),
        scim_type,
        "{op}"
    );
    assert!(
        response["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{op}"
    );
}

fn id_of(op: &Value) -> String {
    op["location"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn bulk_creates_users_and_a_group_that_references_them_before_they_are_listed() {
    let (app, acme) = spawn_tenant("acme").await;

    let ops = bulk_ok(
        &app,
        &acme,
        bulk(json!([
            {"method": "POST", "bulkId": "team", "path": "/Groups",
             "data": group("Team", &["bulkId:ada", "bulkId:bob"])},
            {"method": "POST", "bulkId": "ada", "path": "/Users", "data": user("ada")},
            {"method": "post", "bulkId": "bob", "path": "/Users", "data": user("bob")},
            {"method": "PATCH", "path": "/Users/bulkId:ada", "data": patch_op(json!([{"op": "replace", "path": "title", "value": "Countess"}]))},
        ])),
    )
    .await;

    assert_eq!(ops.len(), 4);
    let bulk_ids: Vec<&Value> = ops.iter().map(|op| &op["bulkId"]).collect();
    assert_eq!(
        bulk_ids,
        [&json!("team"), &json!("ada"), &json!("bob"), &Value::Null]
    );
    for op in &ops[..3] {
        assert_eq!(op["method"], "POST", "{op}");
        assert_eq!(op["status"], "201", "{op}");
        assert!(op["version"].as_str().unwrap().starts_with("W/\""), "{op}");
        assert!(op.get("response").is_none(), "{op}");
    }
    assert_eq!(ops[3]["status"], "200");
    let (ada_id, bob_id, team_id) = (id_of(&ops[1]), id_of(&ops[2]), id_of(&ops[0]));
    assert_eq!(ops[3]["location"], ops[1]["location"]);
    assert_eq!(ops[1]["location"], format!("{}/Users/{ada_id}", acme.base));

    let (status, team) = fetch(&app, &acme, &format!("/Groups/{team_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(team["meta"]["version"], ops[0]["version"]);
    let mut expected = [ada_id.clone(), bob_id.clone()];
    expected.sort_unstable();
    assert_eq!(member_ids(&team), expected);
    let (_, ada) = fetch(&app, &acme, &format!("/Users/{ada_id}")).await;
    assert_eq!(ada["userName"], "ada");
    assert_eq!(ada["title"], "Countess");
    assert_eq!(ada["meta"]["version"], ops[3]["version"]);
    assert_eq!(ada["groups"][0]["value"], team_id);
}

#[tokio::test]
async fn bulk_put_patch_and_delete_treat_version_as_if_match() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let bob = app.create_user(&acme, "bob").await;
    let cyd = app.create_user(&acme, "cyd").await;
    let dan = app.create_user(&acme, "dan").await;
    let path = |u: &Value| format!("/Users/{}", u["id"].as_str().unwrap());
    let mut renamed = user("ada");
    renamed["displayName"] = json!("Ada Lovelace");
    let deactivate = patch_op(json!([{"op": "replace", "path": "active", "value": false}]));

    let ops = bulk_ok(
        &app,
        &acme,
        bulk(json!([
            {"method": "PUT", "path": path(&ada), "version": ada["meta"]["version"], "data": renamed},
            {"method": "PATCH", "path": path(&bob), "version": "W/\"999\"", "data": deactivate},
            {"method": "PATCH", "path": path(&cyd), "version": cyd["meta"]["version"], "data": deactivate},
            {"method": "DELETE", "path": path(&ada), "version": ada["meta"]["version"]},
            {"method": "DELETE", "path": path(&dan), "version": dan["meta"]["version"]},
        ])),
    )
    .await;

    let statuses: Vec<&Value> = ops.iter().map(|op| &op["status"]).collect();
    assert_eq!(statuses, ["200", "412", "200", "412", "204"]);
    assert_failed(&ops[1], 412, None);
    assert_failed(&ops[3], 412, None);
    assert_eq!(ops[1]["location"], format!("{}{}", acme.base, path(&bob)));
    assert_eq!(ops[4]["location"], format!("{}{}", acme.base, path(&dan)));
    let (_, ada_now) = fetch(&app, &acme, &path(&ada)).await;
    assert_eq!(ada_now["displayName"], "Ada Lovelace");
    assert_eq!(ada_now["meta"]["version"], ops[0]["version"]);
    assert_eq!(fetch(&app, &acme, &path(&bob)).await.1, bob);
    let (_, cyd_now) = fetch(&app, &acme, &path(&cyd)).await;
    assert_eq!(cyd_now["active"], false);
    assert_eq!(cyd_now["meta"]["version"], ops[2]["version"]);
    assert_eq!(fetch(&app, &acme, &path(&dan)).await.0, 404);
}

#[tokio::test]
async fn groups_referencing_each_others_bulk_id_fail_with_409() {
    let (app, acme) = spawn_tenant("acme").await;

    let ops = bulk_ok(
        &app,
        &acme,
        bulk(json!([
            {"method": "POST", "bulkId": "g1", "path": "/Groups", "data": group("One", &["bulkId:g2"])},
            {"method": "POST", "bulkId": "g2", "path": "/Groups", "data": group("Two", &["bulkId:g1"])},
            {"method": "POST", "bulkId": "g3", "path": "/Groups", "data": group("Three", &["bulkId:g1"])},
            {"method": "POST", "bulkId": "ada", "path": "/Users", "data": user("ada")},
        ])),
    )
    .await;

    assert_eq!(ops.len(), 4);
    for op in &ops[..3] {
        assert_failed(op, 409, Some("invalidValue"));
        assert!(op.get("location").is_none(), "{op}");
    }
    for op in &ops[..2] {
        let detail = detail(op);
        assert!(
            detail.contains("circular") && detail.contains("'g1'") && detail.contains("'g2'"),
            "{detail}"
        );
    }
    assert!(detail(&ops[2]).contains("g1"), "{}", ops[2]);
    assert_eq!(ops[3]["status"], "201");
    assert_eq!(app.total(&acme, "/Groups").await, 0);
    assert_eq!(app.total(&acme, "/Users").await, 1);
}

#[tokio::test]
async fn references_to_unknown_or_failed_bulk_ids_fail_with_409() {
    let (app, acme) = spawn_tenant("acme").await;

    let ops = bulk_ok(
        &app,
        &acme,
        bulk(json!([
            {"method": "POST", "bulkId": "g", "path": "/Groups", "data": group("G", &["bulkId:nobody"])},
            {"method": "POST", "bulkId": "bad", "path": "/Users", "data": {"schemas": [USER_SCHEMA]}},
            {"method": "POST", "bulkId": "h", "path": "/Groups", "data": group("H", &["bulkId:bad"])},
            {"method": "DELETE", "path": "/Users/bulkId:nobody"},
        ])),
    )
    .await;

    assert_failed(&ops[0], 409, Some("invalidValue"));
    assert!(detail(&ops[0]).contains("nobody"), "{}", ops[0]);
    assert_failed(&ops[1], 400, Some("invalidValue"));
    assert_failed(&ops[2], 409, Some("invalidValue"));
    assert!(detail(&ops[2]).contains("failed"), "{}", ops[2]);
    assert_failed(&ops[3], 409, Some("invalidValue"));
    assert_eq!(app.total(&acme, "/Groups").await, 0);
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn fail_on_errors_stops_the_job_and_leaves_the_rest_out() {
    let (app, acme) = spawn_tenant("acme").await;

    let ops = bulk_ok(
        &app,
        &acme,
        json!({"schemas": [BULK_REQUEST], "failOnErrors": 1, "Operations": [
            {"method": "POST", "bulkId": "ada", "path": "/Users", "data": user("ada")},
            {"method": "POST", "bulkId": "dup", "path": "/Users", "data": user("ADA")},
            {"method": "POST", "bulkId": "bob", "path": "/Users", "data": user("bob")},
        ]}),
    )
    .await;

    assert_eq!(ops.len(), 2);
    assert_eq!(ops[0]["status"], "201");
    assert_failed(&ops[1], 409, Some("uniqueness"));
    assert_eq!(app.total(&acme, "/Users").await, 1);
    let (_, listed) = fetch(&app, &acme, "/Users?filter=userName%20eq%20%22bob%22").await;
    assert_eq!(listed["totalResults"], 0);
}

#[tokio::test]
async fn without_fail_on_errors_every_operation_runs() {
    let (app, acme) = spawn_tenant("acme").await;

    let ops = bulk_ok(
        &app,
        &acme,
        bulk(json!([
            {"method": "POST", "path": "/Users", "data": user("nobulkid")},
            {"method": "GET", "path": "/Users"},
            {"method": "DELETE", "path": "/Widgets/1"},
            {"method": "PUT", "path": "/Users", "data": user("x")},
            {"method": "POST", "bulkId": "bob", "path": "/Users", "data": user("bob")},
        ])),
    )
    .await;

    assert_eq!(ops.len(), 5);
    assert_failed(&ops[0], 400, Some("invalidValue"));
    assert!(detail(&ops[0]).contains("bulkId"), "{}", ops[0]);
    assert_failed(&ops[1], 400, Some("invalidValue"));
    assert_eq!(ops[1]["method"], "GET");
    assert_failed(&ops[2], 404, None);
    assert_failed(&ops[3], 400, Some("invalidValue"));
    assert_eq!(ops[4]["status"], "201");
    assert_eq!(app.total(&acme, "/Users").await, 1);
}

#[tokio::test]
async fn each_operation_needs_the_scopes_of_its_own_request() {
    let app = spawn_app().await;
    let users_only = app
        .tenant_with_scopes("acme", &[Scope::UsersWrite, Scope::GroupsRead, Scope::Bulk])
        .await;

    let ops = bulk_ok(
        &app,
        &users_only,
        bulk(json!([
            {"method": "POST", "bulkId": "ada", "path": "/Users", "data": user("ada")},
            {"method": "POST", "bulkId": "g", "path": "/Groups", "data": group("G", &["bulkId:ada"])},
        ])),
    )
    .await;

    assert_eq!(ops[0]["status"], "201");
    assert_failed(&ops[1], 403, None);
    assert_eq!(app.total(&users_only, "/Users").await, 1);
    assert_eq!(app.total(&users_only, "/Groups").await, 0);
}

#[tokio::test]
async fn malformed_bulk_requests_are_invalid_syntax() {
    let (app, acme) = spawn_tenant("acme").await;
    let op = json!({"method": "POST", "bulkId": "a", "path": "/Users", "data": user("ada")});

    for body in [
        json!({"Operations": [op]}),
        json!({"schemas": [GROUP_SCHEMA], "Operations": [op]}),
        json!({"schemas": [BULK_REQUEST], "Operations": op}),
        json!({"schemas": [BULK_REQUEST]}),
        json!([op]),
    ] {
        let response = app.post(&acme, "/Bulk", &body).await;
        assert_scim_error(response, 400, Some("invalidSyntax")).await;
    }
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn more_operations_than_max_operations_is_413() {
    let app = spawn_configured(|s| s.bulk_max_operations = 2).await;
    let acme = app.tenant("acme").await;
    let ops: Vec<Value> = ["a", "b", "c"]
        .iter()
        .map(|n| json!({"method": "POST", "bulkId": n, "path": "/Users", "data": user(n)}))
        .collect();

    let response = app.post(&acme, "/Bulk", &bulk(json!(ops))).await;

    let error = assert_scim_error(response, 413, None).await;
    assert!(
        error["detail"]
            .as_str()
            .unwrap()
            .contains("maxOperations is 2")
    );
    assert_eq!(app.total(&acme, "/Users").await, 0);
    let (_, config) = fetch(&app, &acme, "/ServiceProviderConfig").await;
    assert_eq!(config["bulk"]["maxOperations"], 2);
}

#[tokio::test]
async fn a_bulk_body_over_max_payload_size_is_413() {
    let (app, acme) = spawn_tenant("acme").await;
    let mut big = user("ada");
    big["nickName"] = json!("x".repeat(70 * 1024));

    let response = app
        .post(
            &acme,
            "/Bulk",
            &bulk(json!([{"method": "POST", "bulkId": "a", "path": "/Users", "data": big}])),
        )
        .await;

    assert_scim_error(response, 413, None).await;
    assert_eq!(app.total(&acme, "/Users").await, 0);
}

#[tokio::test]
async fn service_provider_config_advertises_bulk_with_its_limits() {
    let (app, acme) = spawn_tenant("acme").await;

    let (status, config) = fetch(&app, &acme, "/ServiceProviderConfig").await;

    assert_eq!(status, 200);
    assert_eq!(
        config["bulk"],
        json!({"supported": true, "maxOperations": 1000, "maxPayloadSize": 65536})
    );
}

#[tokio::test]
async fn a_thousand_user_creates_in_one_bulk_succeed() {
    let app = spawn_configured(|s| s.max_body_bytes = 1024 * 1024).await;
    let acme = app.tenant("acme").await;
    let ops: Vec<Value> = (0..1000)
        .map(|i| {
            let name = format!("user{i:04}");
            json!({"method": "POST", "bulkId": name, "path": "/Users",
                   "data": {"schemas": [USER_SCHEMA], "userName": name}})
        })
        .collect();

    let results = bulk_ok(&app, &acme, bulk(json!(ops))).await;

    assert_eq!(results.len(), 1000);
    for (i, op) in results.iter().enumerate() {
        assert_eq!(op["status"], "201", "{op}");
        assert_eq!(op["bulkId"], format!("user{i:04}"));
    }
    assert_eq!(app.total(&acme, "/Users?count=1").await, 1000);
    let (_, last) = fetch(&app, &acme, &format!("/Users/{}", id_of(&results[999]))).await;
    assert_eq!(last["userName"], "user0999");
}
