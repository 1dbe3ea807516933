//! Request bodies and the SCIM URNs tests compare against, taken from the code that serves
//! them so a test file never spells a URN again.

use serde_json::{Value, json};

pub use scimgate_api::error::ERROR_SCHEMA;
pub use scimgate_api::routes::scim::bulk::BULK_RESPONSE_SCHEMA as BULK_RESPONSE;
pub use scimgate_api::routes::scim::resources::LIST_RESPONSE_SCHEMA as LIST_RESPONSE;
pub use scimgate_domain::patch::PATCH_OP_SCHEMA as PATCH_OP;
pub use scimgate_domain::query::search_request::SEARCH_REQUEST_SCHEMA as SEARCH_REQUEST;
pub use scimgate_domain::schema::kind::{
    ENTERPRISE_USER_SCHEMA as ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA,
};
pub use scimgate_domain::service::scim::bulk::BULK_REQUEST_SCHEMA as BULK_REQUEST;

pub fn user(user_name: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "active": true,
        "emails": [{"value": format!("{user_name}@example.com"), "type": "work", "primary": true}],
    })
}

pub fn group(name: &str, members: &[&str]) -> Value {
    let members: Vec<Value> = members.iter().map(|id| json!({"value": id})).collect();
    json!({"schemas": [GROUP_SCHEMA], "displayName": name, "members": members})
}

/// A PatchOp request carrying `operations` (a JSON array).
pub fn patch_op(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

/// A BulkRequest carrying `operations` (a JSON array), without `failOnErrors`.
pub fn bulk(operations: Value) -> Value {
    json!({"schemas": [BULK_REQUEST], "Operations": operations})
}

/// The enterprise extension's `organization`, as filters and policies name it.
pub fn org_path() -> String {
    format!("{ENTERPRISE}:organization")
}

/// A policy row filter: the users of the organization the credential's `org` claim names.
pub fn org_row_filter() -> String {
    format!("{} eq \"{{{{claims.org}}}}\"", org_path())
}
