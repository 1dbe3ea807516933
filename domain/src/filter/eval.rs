//! Evaluates a resolved filter against a resource as clients see it (core attributes at the
//! top level, extension attributes under their schema URN). The SQL compiler must agree with
//! this; it is the reference semantics, and tests hold the two equal.
//!
//! Choices where RFC 7644 §3.4.2.2 is loose:
//! - A multi-valued attribute matches when any of its values matches.
//! - `ne` is the negation of `eq` everywhere: it matches a missing attribute, and on a
//!   multi-valued attribute it matches when no value equals.
//! - `eq null` means "not present" and `ne null` means "present" (the `pr` sense: not null,
//!   not an empty string, array or object); other operators with `null` never match.
//! - Every other operator on a missing attribute, or on a value of another type, is false.

use serde_json::Value;

use super::ast::{AttrPath, CompValue, CompareOp, Filter};
use super::compare::compare;
use super::resolve::lookup;
use super::resolved::ResolvedFilter;
use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeDef, SchemaRegistry};

/// Whether `resource` (rendered JSON of a `kind`) satisfies `filter`, which must have been
/// resolved against `registry` and `kind`.
pub fn matches(
    filter: &ResolvedFilter,
    resource: &Value,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) -> bool {
    eval(filter, resource, &Scope::Resource { registry, kind })
}

/// What the paths are relative to.
enum Scope<'r> {
    Resource {
        registry: &'r SchemaRegistry,
        kind: ResourceKind,
    },
    /// One element of `parent`, inside `parent[...]`.
    Element { parent: &'r AttributeDef },
}

fn eval(filter: &Filter, root: &Value, scope: &Scope<'_>) -> bool {
    match filter {
        Filter::And(l, r) => eval(l, root, scope) && eval(r, root, scope),
        Filter::Or(l, r) => eval(l, root, scope) || eval(r, root, scope),
        Filter::Not(inner) => !eval(inner, root, scope),
        Filter::Present(path) => values(root, path, scope).into_iter().any(is_present),
        Filter::Compare { path, op, value } => {
            let Some(leaf) = leaf_def(path, scope) else {
                return false;
            };
            let values = values(root, path, scope);
            match (op, value) {
                (CompareOp::Eq, CompValue::Null) => !values.into_iter().any(is_present),
                (CompareOp::Ne, CompValue::Null) => values.into_iter().any(is_present),
                (_, CompValue::Null) => false,
                (CompareOp::Ne, value) => !values
                    .into_iter()
                    .any(|v| compare(v, CompareOp::Eq, value, leaf)),
                (op, value) => values.into_iter().any(|v| compare(v, *op, value, leaf)),
            }
        }
        Filter::ValuePath { path, filter } => {
            let Some(parent) = leaf_def(path, scope) else {
                return false;
            };
            let inner = Scope::Element { parent };
            values(root, path, scope)
                .into_iter()
                .any(|element| element.is_object() && eval(filter, element, &inner))
        }
    }
}

/// The definition of what `path` points at in `scope`.
fn leaf_def<'r>(path: &AttrPath, scope: &Scope<'r>) -> Option<&'r AttributeDef> {
    match scope {
        Scope::Resource { registry, kind } => lookup(registry, *kind, path).map(|r| r.leaf()),
        Scope::Element { parent } => match path.sub_attribute {
            None => parent.sub_attribute(&path.attribute),
            Some(_) => None,
        },
    }
}

/// Every non-null value at `path`, with multi-valued attributes flattened: `emails.value`
/// yields the `value` of each email.
fn values<'v>(root: &'v Value, path: &AttrPath, scope: &Scope<'_>) -> Vec<&'v Value> {
    let container = match (scope, &path.schema) {
        (Scope::Resource { kind, .. }, Some(urn))
            if !urn.eq_ignore_ascii_case(kind.core_schema()) =>
        {
            field(root, urn)
        }
        _ => Some(root),
    };
    let top = container
        .and_then(|c| field(c, &path.attribute))
        .map(flatten)
        .unwrap_or_default();
    let all = match &path.sub_attribute {
        None => top,
        Some(sub) => top
            .into_iter()
            .filter_map(|element| field(element, sub))
            .flat_map(flatten)
            .collect(),
    };
    all.into_iter().filter(|v| !v.is_null()).collect()
}

/// The member `name` of an object; the exact spelling first, then ignoring case, as SCIM
/// names are case-insensitive.
fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn flatten(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// RFC 7644 `pr`: has a non-empty, non-null value.
fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().any(is_present),
        Value::Object(members) => members.values().any(is_present),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

#[cfg(test)]
mod tests;
