//! Brings a PATCH value into the form stored documents use, so that filters, duplicate checks
//! and merges compare like with like: schema spelling for sub-attribute names, JSON booleans
//! for boolean strings, readOnly sub-attributes dropped. Types are checked once, at the end,
//! by `canonicalize` (see `finish`).

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::schema::{AttributeDef, AttributeType, Mutability};

/// `value` for `attr`: an array element by element when `attr` is multi-valued, else one value.
pub(super) fn normalize(attr: &AttributeDef, path: &str, value: Value) -> DomainResult<Value> {
    match value {
        Value::Array(items) if attr.multi_valued => {
            Ok(Value::Array(elements(attr, path, Value::Array(items))?))
        }
        other => element(attr, path, other),
    }
}

/// The values of multi-valued `attr` in `value`: an array, or one value standing for itself
/// (a lenient reading of "add these values"); nulls carry no value and are left out.
pub(super) fn elements(attr: &AttributeDef, path: &str, value: Value) -> DomainResult<Vec<Value>> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    items
        .into_iter()
        .filter(|item| !item.is_null())
        .map(|item| element(attr, path, item))
        .collect()
}

/// One value of `attr` (one element when multi-valued).
pub(super) fn element(attr: &AttributeDef, path: &str, value: Value) -> DomainResult<Value> {
    Ok(match (attr.ty, value) {
        (AttributeType::Complex, Value::Object(object)) => {
            Value::Object(sub_attributes(attr, path, object)?)
        }
        // Entra ID sends the enterprise `manager` as the manager's bare id.
        (AttributeType::Complex, Value::String(id))
            if !attr.multi_valued && attr.sub_attribute("value").is_some() =>
        {
            let mut object = Map::new();
            object.insert("value".to_owned(), Value::String(id));
            Value::Object(object)
        }
        // Entra ID sends booleans as "True"/"False".
        (AttributeType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("true") => {
            Value::Bool(true)
        }
        (AttributeType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("false") => {
            Value::Bool(false)
        }
        (_, other) => other,
    })
}

fn sub_attributes(
    attr: &AttributeDef,
    path: &str,
    object: Map<String, Value>,
) -> DomainResult<Map<String, Value>> {
    let mut out = Map::new();
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in object {
        let sub = attr.sub_attribute(&key).ok_or_else(|| {
            DomainError::InvalidValue(format!("unknown attribute '{path}.{key}'"))
        })?;
        if seen.contains(&sub.name) {
            return Err(DomainError::InvalidSyntax(format!(
                "attribute '{path}.{}' appears more than once",
                sub.name
            )));
        }
        seen.push(sub.name);
        // Clients echo back what GET returned (`display`, `manager.displayName`).
        if sub.mutability == Mutability::ReadOnly {
            continue;
        }
        out.insert(sub.name.to_owned(), element(sub, path, value)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    fn emails() -> AttributeDef {
        AttributeDef::complex(
            "emails",
            "",
            vec![
                AttributeDef::string("value", ""),
                AttributeDef::string("display", "").mutability(Mutability::ReadOnly),
                AttributeDef::of_type("primary", AttributeType::Boolean, ""),
            ],
        )
        .multi()
    }

    #[test]
    fn sub_attribute_names_and_boolean_strings_become_canonical() {
        let value = json!([{"VALUE": "a@x", "Primary": "True", "display": "A"}, null]);
        assert_eq!(
            normalize(&emails(), "emails", value).unwrap(),
            json!([{"value": "a@x", "primary": true}])
        );
    }

    #[test]
    fn bare_string_for_single_valued_complex_becomes_its_value() {
        let manager = AttributeDef::complex("manager", "", vec![AttributeDef::string("value", "")]);
        assert_eq!(
            normalize(&manager, "manager", json!("m-1")).unwrap(),
            json!({"value": "m-1"})
        );
    }

    #[test]
    fn unknown_and_repeated_sub_attributes_are_rejected() {
        assert!(matches!(
            element(&emails(), "emails", json!({"nope": 1})),
            Err(DomainError::InvalidValue(d)) if d.contains("'emails.nope'")
        ));
        assert!(matches!(
            element(&emails(), "emails", json!({"value": "a", "VALUE": "b"})),
            Err(DomainError::InvalidSyntax(_))
        ));
    }

    #[test]
    fn one_value_stands_for_a_list_of_one() {
        let one = elements(&emails(), "emails", json!({"value": "a"})).unwrap();
        assert_eq!(one, [json!({"value": "a"})]);
    }
}
