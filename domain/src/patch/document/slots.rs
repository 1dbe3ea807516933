//! Where a document keeps an attribute's value, and how to take it out and put it back without
//! moving it: extension objects, multi-valued lists, sub-attributes of complex values.

use serde_json::{Map, Value};

use crate::error::DomainResult;

/// Runs `f` on the object holding an attribute: the document itself, or the extension object
/// under `urn`, created when missing and dropped when left empty.
pub(super) fn in_container<T>(
    document: &mut Map<String, Value>,
    urn: Option<&str>,
    f: impl FnOnce(&mut Map<String, Value>) -> DomainResult<T>,
) -> DomainResult<T> {
    let Some(urn) = urn else {
        return f(document);
    };
    let mut extension = match document.get_mut(urn).map(Value::take) {
        Some(Value::Object(extension)) => extension,
        _ => Map::new(),
    };
    let result = f(&mut extension);
    let value = (!extension.is_empty()).then_some(Value::Object(extension));
    put(document, urn, value);
    result
}

/// Runs `f` on the values of multi-valued `name`, dropping the attribute when none remain.
pub(super) fn update_list(
    object: &mut Map<String, Value>,
    name: &str,
    f: impl FnOnce(&mut Vec<Value>) -> DomainResult<()>,
) -> DomainResult<()> {
    let mut items = match object.get_mut(name).map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    f(&mut items)?;
    put(
        object,
        name,
        (!items.is_empty()).then_some(Value::Array(items)),
    );
    Ok(())
}

/// Puts an attribute back where it was taken from (keeping the document's order), or drops
/// it when it has no value left.
pub(super) fn put(object: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    match value {
        Some(value) => {
            object.insert(name.to_owned(), value);
        }
        None => {
            object.shift_remove(name);
        }
    }
}

/// Sets (or, for null, removes) sub-attribute `name` of a complex value.
pub(super) fn set_sub(item: &mut Value, name: &str, value: Value) {
    if let Value::Object(object) = item {
        if value.is_null() {
            object.shift_remove(name);
        } else {
            object.insert(name.to_owned(), value);
        }
    }
}

/// Given sub-attributes replace current ones; a null given one removes it.
pub(super) fn merge(current: &mut Map<String, Value>, given: Map<String, Value>) {
    for (key, value) in given {
        if value.is_null() {
            current.shift_remove(&key);
        } else {
            current.insert(key, value);
        }
    }
}

/// A complex value left without sub-attributes is no value (RFC 7643 §2.5).
pub(super) fn has_members(item: &Value) -> bool {
    !matches!(item, Value::Object(object) if object.is_empty())
}
