//! Validation and canonicalisation of the document a client sends to create (POST) or replace
//! (PUT) a resource: what we store always uses schema spelling and holds only writable values.

mod immutable;
mod value;

use serde_json::{Map, Value};

pub use immutable::carry_immutable;

use self::value::{canonical_members, check_required};
use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeDef, SchemaDef, SchemaRegistry};

/// A validated client document, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteDocument {
    /// Attributes with canonical names (schema spelling), readOnly ones dropped, `schemas` canonical.
    pub document: Map<String, Value>,
    /// The cleartext `password` when the client sent one; never kept in `document`.
    pub password: Option<String>,
}

/// An extension schema of the resource type and what the client sent for it.
struct ExtensionInput<'r> {
    schema: &'r SchemaDef,
    required: bool,
    entries: Vec<(String, Value)>,
}

/// Where a top-level key of a client document belongs.
enum Route<'r> {
    Attribute(&'r AttributeDef),
    /// Index into the resource type's extensions.
    Extension(usize),
    /// A URN-qualified extension attribute such as `urn:…:enterprise:2.0:User:department`.
    ExtensionAttribute(usize, String),
}

pub fn canonicalize(
    registry: &SchemaRegistry,
    kind: ResourceKind,
    input: Value,
) -> DomainResult<WriteDocument> {
    let Value::Object(input) = input else {
        return Err(syntax("the request body must be a JSON object"));
    };
    let core = registry.core_schema(kind);
    let mut extensions: Vec<ExtensionInput<'_>> = registry
        .resource_type(kind)
        .extensions
        .iter()
        .filter_map(|ext| {
            registry.schema(ext.schema).map(|schema| ExtensionInput {
                schema,
                required: ext.required,
                entries: Vec::new(),
            })
        })
        .collect();

    let mut listed: Option<Vec<String>> = None;
    let mut top = Vec::new();
    for (key, value) in input {
        if key.eq_ignore_ascii_case("schemas") {
            if listed.replace(schema_list(value)?).is_some() {
                return Err(syntax("'schemas' appears more than once"));
            }
            continue;
        }
        match route(registry, core, &extensions, &key) {
            Some(Route::Attribute(attr)) => top.push((attr.name.to_owned(), value)),
            Some(Route::ExtensionAttribute(i, name)) => push_entry(&mut extensions, i, name, value),
            Some(Route::Extension(i)) => match value {
                Value::Object(object) => {
                    for (name, value) in object {
                        push_entry(&mut extensions, i, name, value);
                    }
                }
                Value::Null => {}
                _ => return Err(invalid(format!("'{key}' must be an object"))),
            },
            None => return Err(invalid(format!("unknown attribute '{key}'"))),
        }
    }

    let lookup = |name: &str| {
        registry
            .common_attributes()
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .or_else(|| core.attribute(name))
    };
    let mut document = canonical_members(top, lookup, "")?;
    let password = take_password(&mut document)?;
    check_required(&core.attributes, &document, "")?;

    for ext in extensions {
        let prefix = format!("{}:", ext.schema.id);
        let object = canonical_members(ext.entries, |n| ext.schema.attribute(n), &prefix)?;
        if object.is_empty() {
            if ext.required {
                return Err(invalid(format!(
                    "extension '{}' is required",
                    ext.schema.id
                )));
            }
            continue;
        }
        check_required(&ext.schema.attributes, &object, &prefix)?;
        document.insert(ext.schema.id.to_owned(), Value::Object(object));
    }

    let schemas = canonical_schemas(registry, kind, listed, &document)?;
    document.insert("schemas".to_owned(), schemas);
    Ok(WriteDocument { document, password })
}

fn route<'r>(
    registry: &'r SchemaRegistry,
    core: &'r SchemaDef,
    extensions: &[ExtensionInput<'r>],
    key: &str,
) -> Option<Route<'r>> {
    let common = registry
        .common_attributes()
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(key));
    if let Some(attr) = common.or_else(|| core.attribute(key)) {
        return Some(Route::Attribute(attr));
    }
    if let Some(name) = strip_urn(key, core.id) {
        return core.attribute(name).map(Route::Attribute);
    }
    extensions.iter().enumerate().find_map(|(i, ext)| {
        if key.eq_ignore_ascii_case(ext.schema.id) {
            Some(Route::Extension(i))
        } else {
            strip_urn(key, ext.schema.id).map(|name| Route::ExtensionAttribute(i, name.to_owned()))
        }
    })
}

fn push_entry(extensions: &mut [ExtensionInput<'_>], index: usize, name: String, value: Value) {
    if let Some(ext) = extensions.get_mut(index) {
        ext.entries.push((name, value));
    }
}

/// `key` without the `urn:` prefix and its `:` separator, when `key` is qualified by `urn`.
fn strip_urn<'k>(key: &'k str, urn: &str) -> Option<&'k str> {
    let prefix = key.get(..urn.len())?;
    if !prefix.eq_ignore_ascii_case(urn) {
        return None;
    }
    key.get(urn.len()..)?.strip_prefix(':')
}

/// The password leaves the document here so that no later step can store or log it.
fn take_password(document: &mut Map<String, Value>) -> DomainResult<Option<String>> {
    match document.remove("password") {
        None => Ok(None),
        Some(Value::String(password)) if !password.is_empty() => Ok(Some(password)),
        Some(_) => Err(invalid(
            "attribute 'password' must be a non-empty string".to_owned(),
        )),
    }
}

fn schema_list(value: Value) -> DomainResult<Vec<String>> {
    let Value::Array(items) = value else {
        return Err(syntax("'schemas' must be an array of schema URNs"));
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(urn) => Ok(urn),
            _ => Err(syntax("'schemas' must be an array of schema URNs")),
        })
        .collect()
}

/// The core URN first, then every extension the client listed or sent: clients often
/// forget to list the extension whose attributes they send, and RFC 7643 §3 wants it listed.
fn canonical_schemas(
    registry: &SchemaRegistry,
    kind: ResourceKind,
    listed: Option<Vec<String>>,
    document: &Map<String, Value>,
) -> DomainResult<Value> {
    let core = kind.core_schema();
    let listed = listed.ok_or_else(|| syntax("'schemas' is required"))?;
    if !listed.iter().any(|urn| urn.eq_ignore_ascii_case(core)) {
        return Err(syntax(&format!("'schemas' must contain '{core}'")));
    }
    let extensions = &registry.resource_type(kind).extensions;
    let unknown = listed.iter().find(|urn| {
        !urn.eq_ignore_ascii_case(core)
            && !extensions
                .iter()
                .any(|ext| urn.eq_ignore_ascii_case(ext.schema))
    });
    if let Some(urn) = unknown {
        return Err(invalid(format!(
            "schema '{urn}' is not a schema of resource type {}",
            kind.name()
        )));
    }
    let mut schemas = vec![Value::from(core)];
    for ext in extensions {
        let in_list = listed
            .iter()
            .any(|urn| urn.eq_ignore_ascii_case(ext.schema));
        if in_list || document.contains_key(ext.schema) {
            schemas.push(Value::from(ext.schema));
        }
    }
    Ok(Value::Array(schemas))
}

fn syntax(detail: &str) -> DomainError {
    DomainError::InvalidSyntax(detail.to_owned())
}

fn invalid(detail: String) -> DomainError {
    DomainError::InvalidValue(detail)
}

#[cfg(test)]
mod tests;
