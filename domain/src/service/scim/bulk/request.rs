//! A BulkRequest (RFC 7644 §3.7) parsed into operations that cannot be wrong. Whole-request
//! problems fail the request; a malformed operation only fails itself, at its turn.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;

pub const BULK_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/// The prefix of a value that names the resource another operation creates (§3.7.2).
pub(super) const REFERENCE_PREFIX: &str = "bulkId:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn parse(name: &str) -> Option<Self> {
        [Self::Post, Self::Put, Self::Patch, Self::Delete]
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// One well-formed operation. `id` and `data` may still hold `bulkId:` references.
#[derive(Debug)]
pub(super) struct Call {
    pub method: Method,
    pub kind: ResourceKind,
    pub id: Option<String>,
    pub version: Option<String>,
    pub data: Value,
}

#[derive(Debug)]
pub(super) struct Operation {
    /// The method as the response names it: canonical when known, else as sent.
    pub method: Option<String>,
    pub bulk_id: Option<String>,
    pub call: DomainResult<Call>,
}

#[derive(Debug)]
pub(super) struct BulkRequest {
    pub fail_on_errors: Option<usize>,
    pub operations: Vec<Operation>,
    /// Each `bulkId` and the POST (by index) that defines it: the first POST carrying it.
    pub definers: HashMap<String, usize>,
}

impl BulkRequest {
    pub(super) fn parse(body: &Value, max_operations: usize) -> DomainResult<Self> {
        let Value::Object(body) = body else {
            return Err(syntax("a BulkRequest must be a JSON object"));
        };
        let has_schema = field(body, "schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| {
                s.iter().any(|urn| {
                    urn.as_str()
                        .is_some_and(|urn| urn.eq_ignore_ascii_case(BULK_REQUEST_SCHEMA))
                })
            });
        if !has_schema {
            return Err(syntax(&format!(
                "schemas must contain {BULK_REQUEST_SCHEMA}"
            )));
        }
        let Some(Value::Array(raw)) = field(body, "Operations") else {
            return Err(syntax("Operations must be an array"));
        };
        if raw.len() > max_operations {
            return Err(DomainError::TooLarge(format!(
                "the bulk request has {} operations; maxOperations is {max_operations}",
                raw.len()
            )));
        }
        let fail_on_errors = match field(body, "failOnErrors") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .filter(|n| *n >= 1)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        DomainError::InvalidValue("failOnErrors must be a positive integer".into())
                    })?,
            ),
        };
        let mut definers = HashMap::new();
        let operations = raw
            .iter()
            .enumerate()
            .map(|(index, raw)| {
                let mut operation = Operation::parse(raw);
                if let Some(bulk_id) = operation.defines() {
                    match definers.entry(bulk_id.to_owned()) {
                        Entry::Vacant(entry) => {
                            entry.insert(index);
                        }
                        Entry::Occupied(entry) => {
                            operation.call = Err(DomainError::InvalidValue(format!(
                                "bulkId '{bulk_id}' is already used by operation {}",
                                entry.get() + 1
                            )));
                        }
                    }
                }
                operation
            })
            .collect();
        Ok(Self {
            fail_on_errors,
            operations,
            definers,
        })
    }

    /// Per operation: the POSTs (by index) whose `bulkId` it references; the job runs an
    /// operation only after them.
    pub(super) fn dependencies(&self) -> Vec<Vec<usize>> {
        self.operations
            .iter()
            .map(|op| match &op.call {
                Ok(call) => call
                    .references()
                    .iter()
                    .filter_map(|r| self.definers.get(r).copied())
                    .collect(),
                Err(_) => Vec::new(),
            })
            .collect()
    }
}

impl Operation {
    /// The `bulkId` this operation creates a resource for: a POST's, even a malformed one,
    /// so that its dependents learn it failed.
    pub(super) fn defines(&self) -> Option<&str> {
        match (&self.method, &self.bulk_id) {
            (Some(method), Some(bulk_id)) if method == Method::Post.name() => Some(bulk_id),
            _ => None,
        }
    }

    fn parse(raw: &Value) -> Self {
        let Value::Object(raw) = raw else {
            return Self {
                method: None,
                bulk_id: None,
                call: Err(syntax("a bulk operation must be a JSON object")),
            };
        };
        let method_text = field(raw, "method").and_then(Value::as_str);
        let method = method_text.and_then(Method::parse);
        let bulk_id = field(raw, "bulkId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Self {
            method: method
                .map(|m| m.name().to_owned())
                .or_else(|| method_text.map(str::to_owned)),
            bulk_id: bulk_id.clone(),
            call: Call::parse(raw, method_text, method, bulk_id.as_deref()),
        }
    }
}

impl Call {
    fn parse(
        raw: &Map<String, Value>,
        method_text: Option<&str>,
        method: Option<Method>,
        bulk_id: Option<&str>,
    ) -> DomainResult<Self> {
        let method = match (method_text, method) {
            (_, Some(method)) => method,
            (Some(other), None) => {
                return Err(invalid(&format!(
                    "method '{other}' is not allowed in a bulk operation; use POST, PUT, PATCH or DELETE"
                )));
            }
            (None, None) => return Err(invalid("a bulk operation needs a method")),
        };
        if field(raw, "bulkId").is_some_and(|v| !v.is_string() && !v.is_null()) {
            return Err(invalid("bulkId must be a string"));
        }
        if method == Method::Post && bulk_id.is_none_or(str::is_empty) {
            return Err(invalid("a POST operation needs a bulkId"));
        }
        let path = field(raw, "path")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("a bulk operation needs a path, e.g. /Users"))?;
        let (kind, id) = parse_path(path)?;
        match (method, &id) {
            (Method::Post, Some(_)) => {
                return Err(invalid(&format!(
                    "POST takes a resource type endpoint such as /Users, not '{path}'"
                )));
            }
            (Method::Put | Method::Patch | Method::Delete, None) => {
                return Err(invalid(&format!(
                    "{} needs a resource path such as /Users/{{id}}, not '{path}'",
                    method.name()
                )));
            }
            _ => {}
        }
        let version = match field(raw, "version") {
            None | Some(Value::Null) => None,
            Some(Value::String(version)) => Some(version.clone()),
            Some(_) => return Err(invalid("version must be a string")),
        };
        let data = match (method, field(raw, "data")) {
            (Method::Delete, _) => Value::Null,
            (_, Some(data @ Value::Object(_))) => data.clone(),
            _ => {
                return Err(invalid(&format!(
                    "a {} operation needs data: a JSON object",
                    method.name()
                )));
            }
        };
        Ok(Self {
            method,
            kind,
            id,
            version,
            data,
        })
    }

    /// The `bulkId`s this call references, in its path and anywhere in its data.
    pub(super) fn references(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(reference) = self.id.as_deref().and_then(reference_of) {
            out.push(reference.to_owned());
        }
        collect_references(&self.data, &mut out);
        out.sort();
        out.dedup();
        out
    }
}

/// `/Users`, `/Groups/{id}`: the resource type and, when present, the id (or a reference).
fn parse_path(path: &str) -> DomainResult<(ResourceKind, Option<String>)> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let (endpoint, id) = match trimmed.split_once('/') {
        Some((endpoint, id)) => (endpoint, Some(id)),
        None => (trimmed, None),
    };
    let unknown = || DomainError::NotFound(format!("no resource endpoint at '{path}'"));
    let kind = ResourceKind::ALL
        .into_iter()
        .find(|k| k.endpoint()[1..].eq_ignore_ascii_case(endpoint))
        .ok_or_else(unknown)?;
    match id {
        Some(id) if id.is_empty() || id.contains('/') => Err(unknown()),
        id => Ok((kind, id.map(str::to_owned))),
    }
}

/// The `bulkId` a value names, if it is a reference.
pub(super) fn reference_of(value: &str) -> Option<&str> {
    value.strip_prefix(REFERENCE_PREFIX)
}

fn collect_references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            if let Some(reference) = reference_of(s) {
                out.push(reference.to_owned());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_references(v, out)),
        _ => {}
    }
}

/// Attribute names are case-insensitive (RFC 7643 §2.1).
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

fn syntax(detail: &str) -> DomainError {
    DomainError::InvalidSyntax(detail.to_owned())
}

fn invalid(detail: &str) -> DomainError {
    DomainError::InvalidValue(detail.to_owned())
}

#[cfg(test)]
mod tests;
