//! The PatchOp request body (RFC 7644 §3.5.2), parsed at the boundary: after this, an
//! operation is one of three kinds with a well-formed path and the value it needs.

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};

use super::path::PatchPath;

/// The message schema a PATCH body must list.
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A parsed PatchOp request.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchRequest {
    pub operations: Vec<PatchOperation>,
}

/// One operation of a PatchOp request.
#[derive(Debug, Clone, PartialEq)]
pub enum PatchOperation {
    /// Without a path, `value` is an object whose keys are paths.
    Add {
        path: Option<PatchPath>,
        value: Value,
    },
    /// Without a path, `value` is an object whose keys are paths.
    Replace {
        path: Option<PatchPath>,
        value: Value,
    },
    /// `value` is Entra ID's extension: the values of a multi-valued attribute to remove.
    Remove {
        path: PatchPath,
        value: Option<Value>,
    },
}

/// Parses a PATCH body. Member names (`Operations`, `op`, `path`, `value`) and op names are
/// matched ignoring case, as IdPs differ (Entra ID sends `"op": "Replace"`); an empty
/// `Operations` array is a valid no-op (Entra ID sends one).
pub fn parse_patch(body: &Value, max_operations: usize) -> DomainResult<PatchRequest> {
    let Value::Object(body) = body else {
        return Err(syntax("the request body must be a JSON object".to_owned()));
    };
    let listed = match member(body, "schemas") {
        Some(Value::Array(schemas)) => schemas.iter().any(|s| {
            s.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP_SCHEMA))
        }),
        _ => false,
    };
    if !listed {
        return Err(syntax(format!(
            "'schemas' must contain '{PATCH_OP_SCHEMA}'"
        )));
    }
    let Some(Value::Array(operations)) = member(body, "Operations") else {
        return Err(syntax("'Operations' must be an array".to_owned()));
    };
    if operations.len() > max_operations {
        return Err(DomainError::InvalidValue(format!(
            "too many operations (max {max_operations})"
        )));
    }
    let operations = operations
        .iter()
        .enumerate()
        .map(|(index, op)| operation(index, op))
        .collect::<DomainResult<_>>()?;
    Ok(PatchRequest { operations })
}

fn operation(index: usize, op: &Value) -> DomainResult<PatchOperation> {
    let at = format!("Operations[{index}]");
    let Value::Object(op) = op else {
        return Err(syntax(format!("{at} must be an object")));
    };
    let Some(Value::String(name)) = member(op, "op") else {
        return Err(syntax(format!("{at} needs an 'op' string")));
    };
    let path = match member(op, "path") {
        None | Some(Value::Null) => None,
        // Some clients send "" for "no path".
        Some(Value::String(path)) if path.trim().is_empty() => None,
        Some(Value::String(path)) => Some(PatchPath::parse(path)?),
        Some(_) => {
            return Err(DomainError::InvalidPath(format!(
                "{at}: 'path' must be a string"
            )));
        }
    };
    let value = member(op, "value").filter(|v| !v.is_null()).cloned();
    let needs_value = || syntax(format!("{at}: '{name}' needs a 'value'"));
    match name.to_ascii_lowercase().as_str() {
        "add" => Ok(PatchOperation::Add {
            path,
            value: value.ok_or_else(needs_value)?,
        }),
        "replace" => Ok(PatchOperation::Replace {
            path,
            value: value.ok_or_else(needs_value)?,
        }),
        "remove" => Ok(PatchOperation::Remove {
            // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with 400
            // and a "scimType" error code of "noTarget"."
            path: path
                .ok_or_else(|| DomainError::NoTarget(format!("{at}: 'remove' needs a 'path'")))?,
            value,
        }),
        _ => Err(syntax(format!(
            "{at}: unknown op '{name}'; expected add, replace or remove"
        ))),
    }
}

/// The member `name` of `object`, ignoring case.
fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

fn syntax(detail: String) -> DomainError {
    DomainError::InvalidSyntax(detail)
}

#[cfg(test)]
mod tests;
