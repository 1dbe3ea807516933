//! `add`, `replace` and `remove` (RFC 7644 §3.5.2.1–3) on the stored document, one resolved
//! target at a time. Values are normalised on the way in; their types are checked once the
//! whole patch is applied (`finish`), so an intermediate state may be loose but never misnamed.

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::schema::AttributeDef;

use self::slots::{has_members, in_container, merge, put, set_sub, update_list};
use super::elements::{described_by, keep_one_primary, matching};
use super::target::{AttrTarget, ResourceType};
use super::value::{element, elements, normalize};

mod slots;

/// The two operations that write a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Write {
    Add,
    Replace,
}

/// Writes `value` at `target` in `document`.
pub(super) fn write(
    ty: ResourceType<'_>,
    document: &mut Map<String, Value>,
    op: Write,
    target: &AttrTarget<'_>,
    value: Value,
) -> DomainResult<()> {
    let name = target.name();
    in_container(document, target.container, |object| {
        match (&target.filter, target.sub) {
            (None, None) => write_whole(object, op, target.attr, &name, value),
            (None, Some(sub)) => {
                let value = normalize(sub, &name, value)?;
                write_sub_everywhere(object, target.attr, sub, value);
                Ok(())
            }
            (Some(_), _) => write_filtered(ty, object, op, target, &name, value),
        }
    })
}

/// Removes what `target` designates; `values` (Entra ID's `remove` with a value list) limits
/// the removal of a multi-valued attribute to the values equal to those listed.
pub(super) fn remove(
    ty: ResourceType<'_>,
    document: &mut Map<String, Value>,
    target: &AttrTarget<'_>,
    values: Option<Value>,
) -> DomainResult<()> {
    let name = target.name();
    let attr = target.attr;
    in_container(document, target.container, |object| {
        match (&target.filter, target.sub, values) {
            (None, None, Some(values)) if attr.multi_valued => {
                let listed = elements(attr, &name, values)?;
                update_list(object, attr.name, |items| {
                    items.retain(|item| !listed.iter().any(|l| same_value(attr, item, l)));
                    Ok(())
                })
            }
            (None, None, _) => {
                object.shift_remove(attr.name);
                Ok(())
            }
            (None, Some(sub), _) => {
                write_sub_everywhere(object, attr, sub, Value::Null);
                Ok(())
            }
            (Some(_), sub, _) => update_list(object, attr.name, |items| {
                let hits = matching(ty, target, items);
                if hits.is_empty() {
                    return Err(no_target(&name));
                }
                let mut index = 0;
                items.retain_mut(|item| {
                    let hit = hits.contains(&index);
                    index += 1;
                    match (hit, sub) {
                        (false, _) => true,
                        (true, None) => false,
                        (true, Some(sub)) => {
                            set_sub(item, sub.name, Value::Null);
                            has_members(item)
                        }
                    }
                });
                Ok(())
            }),
        }
    })
}

/// The whole attribute: single-valued values are set (RFC 7644 §3.5.2.1: `add` on a set
/// single-valued attribute replaces it), complex ones merged sub-attribute by sub-attribute
/// (§3.5.2.3 for `replace` too), multi-valued ones appended to or replaced.
fn write_whole(
    object: &mut Map<String, Value>,
    op: Write,
    attr: &AttributeDef,
    name: &str,
    value: Value,
) -> DomainResult<()> {
    if value.is_null() {
        // RFC 7643 §2.5: null is "unassigned".
        object.shift_remove(attr.name);
        return Ok(());
    }
    if attr.multi_valued {
        let values = elements(attr, name, value)?;
        return update_list(object, attr.name, |items| {
            if op == Write::Replace {
                items.clear();
            }
            let mut touched = Vec::new();
            for value in values {
                let at = match items.iter().position(|item| *item == value) {
                    Some(at) => at,
                    None => {
                        items.push(value);
                        items.len() - 1
                    }
                };
                touched.push(at);
            }
            keep_one_primary(items, &touched);
            Ok(())
        });
    }
    match (object.get_mut(attr.name), normalize(attr, name, value)?) {
        (Some(Value::Object(current)), Value::Object(given)) => merge(current, given),
        (_, value) => {
            object.insert(attr.name.to_owned(), value);
        }
    }
    Ok(())
}

/// `name.givenName`, or `emails.value` without a filter: every value of a multi-valued
/// attribute is concerned, and writing to one that has none creates it.
fn write_sub_everywhere(
    object: &mut Map<String, Value>,
    attr: &AttributeDef,
    sub: &AttributeDef,
    value: Value,
) {
    let mut items = match object.get_mut(attr.name).map(Value::take) {
        Some(Value::Array(items)) => items,
        Some(Value::Object(one)) => vec![Value::Object(one)],
        _ => Vec::new(),
    };
    if items.is_empty() && !value.is_null() {
        items.push(Value::Object(Map::new()));
    }
    for item in &mut items {
        set_sub(item, sub.name, value.clone());
    }
    items.retain(has_members);
    let value = if items.is_empty() {
        None
    } else if attr.multi_valued {
        Some(Value::Array(items))
    } else {
        items.pop()
    };
    put(object, attr.name, value);
}

/// `emails[type eq "work"]` or `emails[type eq "work"].value`: the matching values are
/// updated; when none matches, `add`, and `replace` of a sub-attribute, create the value the
/// filter describes (Entra ID relies on it), while `replace` of whole values has no target.
fn write_filtered(
    ty: ResourceType<'_>,
    object: &mut Map<String, Value>,
    op: Write,
    target: &AttrTarget<'_>,
    name: &str,
    value: Value,
) -> DomainResult<()> {
    let value = match target.sub {
        Some(sub) => normalize(sub, name, value)?,
        None => element(target.attr, name, value)?,
    };
    let apply = |item: &mut Value| match (target.sub, &value) {
        (Some(sub), value) => {
            set_sub(item, sub.name, value.clone());
            Ok(())
        }
        (None, Value::Object(given)) => {
            if let Value::Object(current) = item {
                merge(current, given.clone());
            }
            Ok(())
        }
        (None, _) => Err(DomainError::InvalidValue(format!(
            "the value for '{name}' must be an object"
        ))),
    };
    update_list(object, target.attr.name, |items| {
        let mut hits = matching(ty, target, items);
        if hits.is_empty() {
            if op == Write::Replace && target.sub.is_none() {
                return Err(no_target(name));
            }
            if value.is_null() {
                // Unassigning a sub-attribute of no value leaves nothing to do.
                return Ok(());
            }
            let described = target.value_filter().and_then(described_by);
            let Some(described) = described else {
                return Err(no_target(name));
            };
            items.push(Value::Object(described));
            hits.push(items.len() - 1);
        }
        for &i in &hits {
            if let Some(item) = items.get_mut(i) {
                apply(item)?;
            }
        }
        keep_one_primary(items, &hits);
        Ok(())
    })
}

/// Values are "the same" for a listed removal when their `value` sub-attributes are equal
/// (honouring caseExact), or, for values without one, when they are equal as a whole.
fn same_value(attr: &AttributeDef, item: &Value, listed: &Value) -> bool {
    let key = attr.sub_attribute("value");
    match (key, item.get("value"), listed.get("value")) {
        (Some(key), Some(Value::String(a)), Some(Value::String(b))) if !key.case_exact => {
            a.to_lowercase() == b.to_lowercase()
        }
        (Some(_), Some(a), Some(b)) => a == b,
        _ => item == listed,
    }
}

fn no_target(name: &str) -> DomainError {
    DomainError::NoTarget(format!("no value of '{name}' matches the path filter"))
}

#[cfg(test)]
mod tests;
