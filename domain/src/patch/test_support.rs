//! Builders shared by the PATCH tests: a registry, stored documents and a one-call patch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::LazyLock;

use serde_json::{Map, Value, json};

use super::{PATCH_OP_SCHEMA, PatchOutcome, apply_patch, parse_patch};
use crate::error::{DomainError, DomainResult};
use crate::schema::SchemaRegistry;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, ResourceKind, USER_SCHEMA};

pub static REGISTRY: LazyLock<SchemaRegistry> = LazyLock::new(SchemaRegistry::standard);

pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(object) => object,
        other => panic!("not an object: {other}"),
    }
}

/// A stored user with a work email, a name and an enterprise department.
pub fn stored_user() -> Map<String, Value> {
    object(json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "b@work.example", "type": "work", "primary": true}],
        ENTERPRISE_USER_SCHEMA: {"department": "Sales", "employeeNumber": "42"},
    }))
}

pub fn stored_group() -> Map<String, Value> {
    object(json!({"schemas": [GROUP_SCHEMA], "displayName": "Admins"}))
}

/// Parses and applies `operations` (the `Operations` array) as one request.
pub fn patch(
    kind: ResourceKind,
    current: &Map<String, Value>,
    operations: Value,
) -> DomainResult<PatchOutcome> {
    let body = json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations});
    let request = parse_patch(&body, 20)?;
    apply_patch(&REGISTRY, kind, current, &request)
}

pub fn patch_user(operations: Value) -> DomainResult<PatchOutcome> {
    patch(ResourceKind::User, &stored_user(), operations)
}

/// The patched user document, as JSON for easy comparison.
pub fn patched_user(operations: Value) -> Value {
    match patch_user(operations) {
        Ok(outcome) => Value::Object(outcome.document),
        Err(e) => panic!("patch failed: {e:?}"),
    }
}

pub fn patch_group(operations: Value) -> DomainResult<PatchOutcome> {
    patch(ResourceKind::Group, &stored_group(), operations)
}

/// The variant name of an error, to assert on the SCIM error type.
pub fn kind_of<T: std::fmt::Debug>(result: DomainResult<T>) -> &'static str {
    match result {
        Err(DomainError::InvalidSyntax(_)) => "InvalidSyntax",
        Err(DomainError::InvalidValue(_)) => "InvalidValue",
        Err(DomainError::InvalidPath(_)) => "InvalidPath",
        Err(DomainError::InvalidFilter(_)) => "InvalidFilter",
        Err(DomainError::NoTarget(_)) => "NoTarget",
        Err(DomainError::Mutability(_)) => "Mutability",
        Err(other) => panic!("unexpected error {other:?}"),
        Ok(ok) => panic!("expected an error, got {ok:?}"),
    }
}
