//! Changing an opaque token's claims, policy and scopes through the admin APIs: at once,
//! audited, validated, and only within the caller's tenant.

use reqwest::Method;
use serde_json::{Value, json};

use super::support::{org_path, partner_policy, partner_user, story};
use crate::admin_support::{
    admin_call, admin_get, admin_send, admin_token, exchange, issue, tenant_admin,
};
use crate::helpers::{ADMIN_KEY, assert_scim_error, spawn_app, spawn_tenant, status_json};

#[tokio::test]
async fn a_token_update_applies_to_its_very_next_request_and_is_audited() {
    // Arrange: the partner's first request caches its verification.
    let app = spawn_app().await;
    let s = story(&app).await;
    let admin = admin_token(&app, "acme").await;
    let a_path = format!("/Users/{}", s.a_id);
    let (_, before) = status_json(app.get_request(&s.partner, &a_path)).await;
    let token_path = format!("/tokens/{}", s.partner_id);
    let update = |body: Value| {
        tenant_admin(&app, Method::PATCH, "acme", &token_path, &admin.token).body(body.to_string())
    };

    // Act: narrow what the partner reads.
    let org = org_path();
    let narrower = partner_policy(&["userName", "active", org.as_str()]);
    let (narrowed, body) = status_json(update(json!({ "policy": narrower }))).await;
    let (_, after) = status_json(app.get_request(&s.partner, &a_path)).await;
    // Act: move the partner to the other org.
    let (moved, _) = status_json(update(json!({"claims": {"org": "partner-b"}}))).await;
    let (_, list) = status_json(app.get_request(&s.partner, "/Users")).await;
    // Act: take the policy away and make the token read-only.
    let (removed, unrestricted) =
        status_json(update(json!({"policy": null, "scopes": ["scim:read"]}))).await;
    let (_, all) = status_json(app.get_request(&s.partner, "/Users")).await;
    let write = app
        .post(&s.partner, "/Users", &partner_user("late", "partner-a"))
        .await;
    let (_, audit, audit_text) = admin_get(&app, "acme", "/audit", &admin.token).await;

    // Assert
    assert_eq!(before["title"], "Engineer", "{before}");
    assert_eq!(narrowed, 200, "{body}");
    assert_eq!(body["claims"], json!({"org": "partner-a"}), "claims kept");
    assert_eq!(body["name"], "partner-a", "name kept");
    assert!(after.get("title").is_none(), "{after}");
    assert_eq!(after["userName"], "a1");
    assert_eq!(moved, 200);
    assert_eq!(list["totalResults"], 1, "{list}");
    assert_eq!(list["Resources"][0]["userName"], "b1");
    assert_eq!(removed, 200, "{unrestricted}");
    assert!(unrestricted["policy"].is_null(), "{unrestricted}");
    assert_eq!(unrestricted["scopes"], json!(["scim:read"]));
    assert_eq!(all["totalResults"], 2, "{all}");
    assert!(
        all["Resources"][0].get("emails").is_some(),
        "no policy, no redaction: {all}"
    );
    assert_scim_error(write, 403, None).await;
    let updates: Vec<&Value> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "token.update")
        .collect();
    assert_eq!(updates.len(), 3, "{audit}");
    for entry in updates {
        assert_eq!(entry["actor"], admin.id.as_str());
        assert_eq!(entry["targetId"], s.partner_id.as_str());
        assert_eq!(entry["status"], 200);
    }
    assert!(!audit_text.contains("partner-b"), "no values: {audit_text}");
}

#[tokio::test]
async fn a_token_policy_that_does_not_parse_is_refused() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;
    let existing = issue(&app, "acme", &[]).await;
    let bad_filter = json!({"userFilter": "shoeSize gt \"{{claims.org}}\""});

    // Act
    let operator_create = app
        .operator(Method::POST, "/tenants/acme/tokens")
        .json(&json!({"policy": bad_filter}))
        .send()
        .await
        .unwrap();
    let admin_create = tenant_admin(&app, Method::POST, "acme", "/tokens", &admin.token)
        .body(json!({"policy": {"readable": ["shoeSize"]}}).to_string())
        .send()
        .await
        .unwrap();
    let bad_claims = tenant_admin(&app, Method::POST, "acme", "/tokens", &admin.token)
        .body(json!({"claims": ["org"]}).to_string())
        .send()
        .await
        .unwrap();
    let operator_update = app
        .client
        .patch(format!("{}/admin/v1/tokens/{}", app.origin, existing.id))
        .bearer_auth(ADMIN_KEY)
        .json(&json!({"policy": {"writable": ["noSuchAttribute"]}}))
        .send()
        .await
        .unwrap();
    let (_, listed, _) = admin_get(&app, "acme", "/tokens", &admin.token).await;

    // Assert
    assert_scim_error(operator_create, 400, Some("invalidValue")).await;
    assert_scim_error(admin_create, 400, Some("invalidValue")).await;
    assert_scim_error(bad_claims, 400, Some("invalidValue")).await;
    assert_scim_error(operator_update, 400, Some("invalidValue")).await;
    let tokens = listed["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 3, "nothing minted: {listed}");
    assert!(tokens.iter().all(|t| t["policy"].is_null()), "{listed}");
}

#[tokio::test]
async fn token_updates_stay_inside_the_admins_tenant_and_off_revoked_tokens() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let admin = admin_token(&app, "acme").await;
    let theirs = issue(&app, "globex", &[]).await;
    let mine = issue(&app, "acme", &[]).await;
    let restrict = json!({"policy": {"readable": ["userName"]}}).to_string();
    app.create_user(&globex, "g1").await;

    // Act
    let (other_tenant, _, _) = exchange(
        tenant_admin(
            &app,
            Method::PATCH,
            "acme",
            &format!("/tokens/{}", theirs.id),
            &admin.token,
        )
        .body(restrict.clone()),
    )
    .await;
    let (_, their_view) = status_json(
        app.client
            .get(format!("{}/Users", globex.base))
            .bearer_auth(&theirs.token),
    )
    .await;
    let (unknown_member, _, _) = admin_send(
        &app,
        Method::PATCH,
        "acme",
        &format!("/tokens/{}", mine.id),
        &admin.token,
        &json!({"expiresAt": "2030-01-01T00:00:00Z"}),
    )
    .await;
    admin_call(
        &app,
        Method::DELETE,
        "acme",
        &format!("/tokens/{}", mine.id),
        &admin.token,
    )
    .await;
    let (revoked, _, _) = exchange(
        tenant_admin(
            &app,
            Method::PATCH,
            "acme",
            &format!("/tokens/{}", mine.id),
            &admin.token,
        )
        .body(restrict),
    )
    .await;

    // Assert
    assert_eq!(
        other_tenant, 404,
        "another tenant's token is as absent as a missing one"
    );
    assert!(
        their_view["Resources"][0].get("emails").is_some(),
        "their token unchanged: {their_view}"
    );
    assert_eq!(unknown_member, 400, "the expiry stays as issued");
    assert_eq!(revoked, 409, "a revoked token stays revoked");
}
