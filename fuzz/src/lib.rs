//! What the fuzz targets share: the standard schema registry and the documents they patch,
//! canonicalise and filter, shaped as scimgate stores and renders them.

use std::sync::LazyLock;

use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
use serde_json::{Map, Value, json};

pub static REGISTRY: LazyLock<SchemaRegistry> = LazyLock::new(SchemaRegistry::standard);

/// A stored user (canonical names; no `id`, `meta`, `password` or `groups`), with most
/// attribute kinds set so that PATCH paths find something to change or remove.
pub static STORED_USER: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    object(json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "externalId": "BJ-1",
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen", "formatted": "Ms. Barbara J Jensen"},
        "displayName": "Babs Jensen",
        "title": "Tour Guide",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "phoneNumbers": [{"value": "+1 555 0100", "type": "work"}],
        "addresses": [{"type": "work", "locality": "Hollywood", "country": "USA", "primary": true}],
        "roles": [{"value": "User", "primary": true}],
        ENTERPRISE_USER_SCHEMA: {
            "department": "Tour Operations",
            "employeeNumber": "42",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}
        }
    }))
});

/// A stored group: members live apart from the document, so it holds only the name.
pub static STORED_GROUP: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    object(json!({"schemas": [GROUP_SCHEMA], "displayName": "Admins", "externalId": "g-1"}))
});

/// A user as clients read it (what filters are evaluated against).
pub static RENDERED_USER: LazyLock<Value> = LazyLock::new(|| {
    let mut user = STORED_USER.clone();
    user.insert("id".into(), json!("2819c223-7f76-453a-919d-413861904646"));
    user.insert(
        "groups".into(),
        json!([{"value": "0196f3c2-0000-7000-8000-00000000000a", "display": "Admins", "type": "direct"}]),
    );
    user.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": "2010-01-23T04:56:22.000Z",
            "lastModified": "2011-05-13T04:42:34.000Z",
            "version": "W/\"3\""
        }),
    );
    Value::Object(user)
});

/// A group as clients read it.
pub static RENDERED_GROUP: LazyLock<Value> = LazyLock::new(|| {
    let mut group = STORED_GROUP.clone();
    group.insert("id".into(), json!("0196f3c2-0000-7000-8000-00000000000a"));
    group.insert(
        "members".into(),
        json!([{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen", "type": "User"}]),
    );
    group.insert(
        "meta".into(),
        json!({"resourceType": "Group", "created": "2024-01-01T00:00:00Z", "lastModified": "2024-01-01T00:00:00Z"}),
    );
    Value::Object(group)
});

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(object) => object,
        _ => Map::new(),
    }
}
