//! What the opaque-token policy tests share: the partner policy, users of two orgs, and a
//! partner token issued through the operator's admin API.

use serde_json::{Value, json};

pub use crate::helpers::org_path;
use crate::helpers::{ENTERPRISE, TestApp, TestTenant, USER_SCHEMA, id, org_row_filter, patch_op};

/// Rows of the token's `org` claim, `readable` as given, and writable `userName`, `name`,
/// `active` and the organization (so `title` is never writable).
pub fn partner_policy(readable: &[&str]) -> Value {
    json!({
        "userFilter": org_row_filter(),
        "readable": readable,
        "writable": ["userName", "name", "active", org_path()],
    })
}

/// The story's policy: `title` readable but not writable; `emails` and the department neither.
fn story_policy() -> Value {
    let org = org_path();
    partner_policy(&["userName", "name", "title", "active", org.as_str()])
}

/// A user of `org` with a title, emails and a department.
pub fn org_user(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "title": "Engineer",
        "emails": [{"value": format!("{user_name}@corp.example"), "type": "work"}],
        "active": true,
        ENTERPRISE: {"organization": org, "department": "Hidden"},
    })
}

/// What the partner may write.
pub fn partner_user(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        ENTERPRISE: {"organization": org},
    })
}

pub fn assert_unreadable_absent(resource: &Value) {
    assert!(resource.get("emails").is_none(), "{resource}");
    assert!(
        resource[ENTERPRISE].get("department").is_none(),
        "{resource}"
    );
}

pub fn patch_user(
    app: &TestApp,
    tenant: &TestTenant,
    id: &str,
    operation: Value,
) -> reqwest::RequestBuilder {
    app.patch_request(
        tenant,
        &format!("/Users/{id}"),
        &patch_op(json!([operation])),
    )
}

/// Tenant acme with a full-access token (`operator`), a partner token with the story policy
/// and the claim `org: partner-a`, and users a1 (partner-a) and b1 (partner-b).
pub struct Story {
    pub operator: TestTenant,
    pub partner: TestTenant,
    pub partner_id: String,
    pub a_id: String,
    pub b_id: String,
}

pub async fn story(app: &TestApp) -> Story {
    let operator = app.tenant("acme").await;
    let issued = app
        .issue_token(
            "acme",
            &json!({
                "name": "partner-a", "scopes": ["scim:read", "scim:write", "scim:bulk"],
                "claims": {"org": "partner-a"}, "policy": story_policy(),
            }),
        )
        .await;
    assert_eq!(issued["claims"], json!({"org": "partner-a"}));
    assert_eq!(issued["policy"], story_policy());
    let partner = operator.with_token(issued["token"].as_str().unwrap());
    let a_id = create(app, &operator, &org_user("a1", "partner-a")).await;
    let b_id = create(app, &operator, &org_user("b1", "partner-b")).await;
    Story {
        operator,
        partner,
        partner_id: issued["id"].as_str().unwrap().to_owned(),
        a_id,
        b_id,
    }
}

async fn create(app: &TestApp, tenant: &TestTenant, body: &Value) -> String {
    id(&app.create_at(tenant, "/Users", body).await)
}
