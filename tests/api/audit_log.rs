//! The audit log: every SCIM write (over HTTP and per Bulk operation) and every admin action,
//! with actor, action, target id and outcome, never a value or a secret; read newest first
//! in bounded pages by the tenant admin and the operator.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::admin_support::{
    Credential, admin_get, admin_send, admin_token, exchange, spawn_with_admin, tenant_admin,
    token_id,
};
use crate::helpers::{SEARCH_REQUEST, TestApp, TestTenant, bulk, patch_op, spawn_tenant, user};

/// The newest `limit` entries of acme's log and the raw response text.
async fn audit(app: &TestApp, admin: &Credential, query: &str) -> (Value, String) {
    let (status, body, text) = exchange(tenant_admin(
        app,
        Method::GET,
        "acme",
        &format!("/audit{query}"),
        &admin.token,
    ))
    .await;
    assert_eq!(status, 200, "{text}");
    (body, text)
}

fn entries(page: &Value) -> Vec<Value> {
    page["entries"].as_array().unwrap().clone()
}

/// Entries of SCIM writes only (the setup's tenant and token creation left out), oldest first.
fn writes(page: &Value) -> Vec<Value> {
    let mut writes: Vec<Value> = entries(page)
        .into_iter()
        .filter(|e| {
            let action = e["action"].as_str().unwrap();
            action.starts_with("user.")
                || action.starts_with("group.")
                || action.starts_with("bulk.")
        })
        .collect();
    writes.reverse();
    writes
}

fn summary(entry: &Value) -> (String, u64, Option<String>) {
    (
        entry["action"].as_str().unwrap().to_owned(),
        entry["status"].as_u64().unwrap(),
        entry["scimType"].as_str().map(str::to_owned),
    )
}

/// `(action, status, scimType)` of each entry.
fn summaries(entries: &[Value]) -> Vec<(String, u64, Option<String>)> {
    entries.iter().map(summary).collect()
}

fn patch_active(value: bool) -> Value {
    patch_op(json!([{"op": "replace", "path": "active", "value": value}]))
}

fn assert_no_values(text: &str, acme: &TestTenant) {
    for secret_or_value in [
        "ada.lovelace",
        "example.com",
        "Lovelace",
        acme.token.rsplit('_').next().unwrap(),
    ] {
        assert!(
            !text.contains(secret_or_value),
            "{secret_or_value:?} in {text}"
        );
    }
}

#[tokio::test]
async fn http_writes_are_recorded_with_actor_target_and_outcome() {
    // Arrange
    let (app, acme, admin) = spawn_with_admin().await;

    // Act
    let ada = app.create_user(&acme, "ada.lovelace").await;
    let id = ada["id"].as_str().unwrap();
    let path = format!("/Users/{id}");
    let patched = app
        .client
        .patch(format!("{}{path}", acme.base))
        .bearer_auth(&acme.token)
        .header("Content-Type", "application/scim+json")
        .body(patch_active(false).to_string());
    let (patch_status, _, _) = exchange(patched).await;
    let (duplicate, _, _) =
        exchange(app.post_request(&acme, "/Users", &user("ada.lovelace"))).await;
    let (search, _, _) = exchange(app.post_request(
        &acme,
        "/Users/.search",
        &json!({"schemas": [SEARCH_REQUEST], "filter": "userName eq \"ada.lovelace\""}),
    ))
    .await;
    let (deleted, _, _) = exchange(app.delete_request(&acme, &path)).await;
    let (missing, _, _) =
        exchange(app.delete_request(&acme, "/Users/ada.lovelace@example.com")).await;
    let (page, text) = audit(&app, &admin, "").await;

    // Assert
    assert_eq!(
        (patch_status, duplicate, search, deleted, missing),
        (200, 409, 200, 204, 404)
    );
    let writes = writes(&page);
    assert_eq!(
        summaries(&writes),
        vec![
            ("user.create".into(), 201, None),
            ("user.patch".into(), 200, None),
            ("user.create".into(), 409, Some("uniqueness".into())),
            ("user.delete".into(), 204, None),
            ("user.delete".into(), 404, None),
        ],
        "{page}"
    );
    let actor = token_id(&acme.token);
    for entry in &writes {
        assert_eq!(entry["actor"], actor.as_str(), "{entry}");
        assert_eq!(entry["targetType"], "User");
        assert!(entry["requestId"].is_string(), "{entry}");
        assert!(entry["at"].is_string(), "{entry}");
    }
    for entry in &writes[..2] {
        assert_eq!(entry["targetId"], id);
    }
    assert_eq!(writes[3]["targetId"], id);
    assert!(writes[2]["targetId"].is_null(), "nothing was created");
    assert!(
        writes[4]["targetId"].is_null(),
        "a client-typed id is not recorded"
    );
    assert_no_values(&text, &acme);
}

#[tokio::test]
async fn each_bulk_operation_is_recorded() {
    // Arrange
    let (app, acme, admin) = spawn_with_admin().await;
    let existing = app.create_user(&acme, "ada.lovelace").await;
    let existing = existing["id"].as_str().unwrap();

    // Act
    let (status, body, _) = exchange(app.post_request(
        &acme,
        "/Bulk",
        &bulk(json!([
            {"method": "POST", "bulkId": "b", "path": "/Users", "data": user("bob.lovelace")},
            {"method": "PATCH", "path": "/Users/bulkId:b", "data": patch_active(false)},
            {"method": "POST", "bulkId": "dup", "path": "/Users", "data": user("ada.lovelace")},
            {"method": "DELETE", "path": format!("/Users/{existing}")},
            {"method": "DELETE", "path": "/Users/bulkId:nobody"},
            {"method": "POST", "path": "/Users", "data": user("no.bulk.id")},
        ])),
    ))
    .await;
    let (page, text) = audit(&app, &admin, "").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let writes = writes(&page);
    assert_eq!(
        summaries(&writes),
        vec![
            ("user.create".into(), 201, None),
            ("user.create".into(), 201, None),
            ("user.patch".into(), 200, None),
            ("user.create".into(), 409, Some("uniqueness".into())),
            ("user.delete".into(), 204, None),
            ("user.delete".into(), 409, Some("invalidValue".into())),
            ("bulk.operation".into(), 400, Some("invalidValue".into())),
        ],
        "{page}"
    );
    let bob = body["Operations"][0]["location"].as_str().unwrap();
    assert!(
        bob.ends_with(writes[1]["targetId"].as_str().unwrap()),
        "{bob}"
    );
    assert_eq!(writes[2]["targetId"], writes[1]["targetId"]);
    assert_eq!(writes[4]["targetId"], existing);
    let bulk_request = writes[1]["requestId"].clone();
    assert!(
        writes[1..].iter().all(|e| e["requestId"] == bulk_request),
        "one request"
    );
    assert_no_values(&text, &acme);
}

#[tokio::test]
async fn admin_actions_are_recorded_for_the_operator_and_the_tenant_admin() {
    // Arrange
    let (app, acme, admin) = spawn_with_admin().await;

    // Act: the operator creates a client, the tenant admin updates it and mints a token.
    let (_, client, _) = exchange(
        app.operator(Method::POST, "/tenants/acme/clients")
            .header("Content-Type", "application/json")
            .body(json!({"name": "partner", "claims": {"org": "partner-a"}}).to_string()),
    )
    .await;
    let client_id = client["clientId"].as_str().unwrap();
    admin_send(
        &app,
        Method::PATCH,
        "acme",
        &format!("/clients/{client_id}"),
        &admin.token,
        &json!({"scopes": ["scim:read"]}),
    )
    .await;
    let (_, minted, _) =
        exchange(tenant_admin(&app, Method::POST, "acme", "/tokens", &admin.token).body("{}"))
            .await;
    let (status, operator_view, text) =
        exchange(app.operator(Method::GET, "/tenants/acme/audit")).await;

    // Assert
    assert_eq!(status, 200, "{text}");
    let got: Vec<(String, String, String)> = entries(&operator_view)
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
                e["targetId"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let minted_id = minted["id"].as_str().unwrap().to_owned();
    assert_eq!(got[0], ("token.create".into(), admin.id.clone(), minted_id));
    assert_eq!(
        got[1],
        (
            "client.update".into(),
            admin.id.clone(),
            client_id.to_owned()
        )
    );
    assert_eq!(
        got[2],
        (
            "client.create".into(),
            "operator".into(),
            client_id.to_owned()
        )
    );
    assert!(
        got.iter()
            .any(|(action, actor, _)| action == "tenant.create" && actor == "operator")
    );
    for secret in [
        client["clientSecret"].as_str().unwrap(),
        minted["token"].as_str().unwrap(),
        "partner-a",
    ] {
        assert!(!text.contains(secret), "{secret:?} in {text}");
    }
    assert_no_values(&text, &acme);
}

#[tokio::test]
async fn audit_pages_are_newest_first_bounded_and_tenant_scoped() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let admin = admin_token(&app, "acme").await;
    for n in 0..5 {
        app.create_user(&acme, &format!("user{n}")).await;
    }
    app.create_user(&globex, "other").await;
    let (everything, _) = audit(&app, &admin, "?limit=200").await;
    let total = entries(&everything).len();

    // Act: walk pages of two.
    let mut seen: Vec<Value> = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let (page, _) = audit(&app, &admin, &query).await;
        let batch = entries(&page);
        assert!(batch.len() <= 2, "{page}");
        seen.extend(batch);
        match page["nextCursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let (future, _) = audit(&app, &admin, "?since=2999-01-01T00:00:00Z").await;
    let (bad_limit, _, _) = admin_get(&app, "acme", "/audit?limit=0", &admin.token).await;
    let (big_limit, _, _) = admin_get(&app, "acme", "/audit?limit=100000", &admin.token).await;
    let (bad_cursor, body, _) = admin_get(&app, "acme", "/audit?cursor=nope", &admin.token).await;

    // Assert
    assert_eq!(seen, entries(&everything), "pages add up to the whole log");
    assert!(total >= 7, "tenant, tokens and five users: {everything}");
    let creates = seen.iter().filter(|e| e["action"] == "user.create").count();
    assert_eq!(creates, 5, "globex's user is not in acme's log");
    let times: Vec<&str> = seen.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(
        parsed.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert!(entries(&future).is_empty());
    assert_eq!(
        (bad_limit, big_limit, bad_cursor),
        (400, 400, 400),
        "{body}"
    );
}

#[tokio::test]
async fn a_failed_audit_write_does_not_fail_the_scim_write() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    app.db
        .execute_unprepared("DROP TABLE audit_log")
        .await
        .unwrap();

    // Act
    let (created, body, _) =
        exchange(app.post_request(&acme, "/Users", &user("ada.lovelace"))).await;
    let (listed, list, _) = exchange(app.get_request(&acme, "/Users")).await;
    let (_, _, metrics) = exchange(app.client.get(format!("{}/metrics", app.origin))).await;

    // Assert
    assert_eq!(created, 201, "{body}");
    assert_eq!((listed, list["totalResults"].clone()), (200, json!(1)));
    let lost = metrics
        .lines()
        .find(|line| line.starts_with("scimgate_audit_write_failures_total"))
        .unwrap_or_else(|| panic!("no failure counter in {metrics}"));
    assert!(lost.ends_with(" 1"), "{lost}");
}
