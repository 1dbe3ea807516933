//! Checks one attribute value against its definition and rewrites it into canonical form:
//! schema spelling for sub-attribute names, JSON booleans for "true"/"false", and nothing for
//! values that mean "no value" (RFC 7643 §2.5: null, `[]`, and by extension `{}`).

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::schema::{AttributeDef, AttributeType, Mutability};

/// The canonical form of `value`, or `None` when it carries no value or the client may not
/// write it (readOnly values are dropped silently: clients echo back what GET gave them).
pub(super) fn canonical_value(
    attr: &AttributeDef,
    path: &str,
    value: Value,
) -> DomainResult<Option<Value>> {
    if attr.mutability == Mutability::ReadOnly {
        return Ok(None);
    }
    match value {
        Value::Null => Ok(None),
        Value::Array(items) if attr.multi_valued => multi(attr, path, items),
        _ if attr.multi_valued => Err(invalid(format!(
            "attribute '{path}' is multi-valued and must be an array"
        ))),
        Value::Array(_) => Err(invalid(format!(
            "attribute '{path}' is single-valued and must not be an array"
        ))),
        other => single(attr, path, other),
    }
}

/// Canonicalises the members of one JSON object, each looked up case-insensitively by
/// `lookup`; `prefix` is prepended to names in error details.
pub(super) fn canonical_members<'a>(
    entries: impl IntoIterator<Item = (String, Value)>,
    lookup: impl Fn(&str) -> Option<&'a AttributeDef>,
    prefix: &str,
) -> DomainResult<Map<String, Value>> {
    let mut out = Map::new();
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in entries {
        let attr =
            lookup(&key).ok_or_else(|| invalid(format!("unknown attribute '{prefix}{key}'")))?;
        let path = format!("{prefix}{}", attr.name);
        if seen.contains(&attr.name) {
            return Err(DomainError::InvalidSyntax(format!(
                "attribute '{path}' appears more than once"
            )));
        }
        seen.push(attr.name);
        if let Some(canonical) = canonical_value(attr, &path, value)? {
            out.insert(attr.name.to_owned(), canonical);
        }
    }
    Ok(out)
}

/// Fails when a required, client-writable attribute of `attrs` has no value in `object`.
pub(super) fn check_required(
    attrs: &[AttributeDef],
    object: &Map<String, Value>,
    prefix: &str,
) -> DomainResult<()> {
    let missing = attrs.iter().find(|attr| {
        attr.required
            && attr.mutability != Mutability::ReadOnly
            && !object.get(attr.name).is_some_and(has_value)
    });
    match missing {
        Some(attr) => Err(invalid(format!(
            "attribute '{prefix}{}' is required",
            attr.name
        ))),
        None => Ok(()),
    }
}

/// A blank string does not satisfy "required": IdPs send `""` for fields they lack.
fn has_value(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.trim().is_empty(),
        Value::Null => false,
        _ => true,
    }
}

fn multi(attr: &AttributeDef, path: &str, items: Vec<Value>) -> DomainResult<Option<Value>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.is_array() {
            return Err(invalid(format!(
                "each value of '{path}' must be {}, not an array",
                expected(attr.ty)
            )));
        }
        if let Some(canonical) = single(attr, path, item)? {
            out.push(canonical);
        }
    }
    if out.is_empty() {
        return Ok(None);
    }
    // RFC 7643 §2.4: the primary value "true" MUST appear no more than once.
    let primaries = out
        .iter()
        .filter(|v| v["primary"] == Value::Bool(true))
        .count();
    if primaries > 1 {
        return Err(invalid(format!(
            "at most one value of '{path}' may have primary set to true"
        )));
    }
    Ok(Some(Value::Array(out)))
}

fn single(attr: &AttributeDef, path: &str, value: Value) -> DomainResult<Option<Value>> {
    let canonical = match (attr.ty, value) {
        (_, Value::Null) => return Ok(None),
        (AttributeType::Complex, Value::Object(object)) => return complex(attr, path, object),
        (AttributeType::String | AttributeType::Reference, v @ Value::String(_)) => v,
        (AttributeType::Boolean, v @ Value::Bool(_)) => v,
        // Some IdPs (Entra ID among them) send booleans as strings.
        (AttributeType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("true") => {
            Value::Bool(true)
        }
        (AttributeType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("false") => {
            Value::Bool(false)
        }
        (AttributeType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Value::Number(n),
        (AttributeType::Decimal, v @ Value::Number(_)) => v,
        (AttributeType::DateTime, Value::String(s))
            if chrono::DateTime::parse_from_rfc3339(&s).is_ok() =>
        {
            Value::String(s)
        }
        (AttributeType::Binary, Value::String(s)) if is_base64(&s) => Value::String(s),
        (ty, _) => {
            return Err(invalid(format!(
                "attribute '{path}' must be {}",
                expected(ty)
            )));
        }
    };
    Ok(Some(canonical))
}

fn complex(
    attr: &AttributeDef,
    path: &str,
    object: Map<String, Value>,
) -> DomainResult<Option<Value>> {
    let prefix = format!("{path}.");
    let out = canonical_members(object, |name| attr.sub_attribute(name), &prefix)?;
    if out.is_empty() {
        return Ok(None);
    }
    check_required(&attr.sub_attributes, &out, &prefix)?;
    Ok(Some(Value::Object(out)))
}

/// RFC 4648 §4 base64 (the alphabet RFC 7643 §2.3.6 names), padding optional.
fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    let padding = s.len() - body.len();
    let alphabet = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let length = if padding > 0 {
        s.len().is_multiple_of(4)
    } else {
        body.len() % 4 != 1
    };
    padding <= 2 && alphabet && length
}

fn expected(ty: AttributeType) -> &'static str {
    match ty {
        AttributeType::String => "a string",
        AttributeType::Boolean => "a boolean",
        AttributeType::Decimal => "a number",
        AttributeType::Integer => "an integer",
        AttributeType::DateTime => "an RFC 3339 dateTime string",
        AttributeType::Binary => "a base64 string",
        AttributeType::Reference => "a reference string",
        AttributeType::Complex => "a complex object",
    }
}

fn invalid(detail: String) -> DomainError {
    DomainError::InvalidValue(detail)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    fn check(attr: &AttributeDef, value: Value) -> DomainResult<Option<Value>> {
        canonical_value(attr, attr.name, value)
    }

    fn rejected(attr: &AttributeDef, value: Value) -> String {
        match check(attr, value) {
            Err(DomainError::InvalidValue(detail)) => detail,
            other => panic!("expected InvalidValue, got {other:?}"),
        }
    }

    #[test]
    fn boolean_strings_become_booleans() {
        let active = AttributeDef::of_type("active", AttributeType::Boolean, "");
        assert_eq!(check(&active, json!("True")).unwrap(), Some(json!(true)));
        assert_eq!(check(&active, json!("FALSE")).unwrap(), Some(json!(false)));
        assert!(rejected(&active, json!("yes")).contains("'active' must be a boolean"));
        assert!(rejected(&active, json!(1)).contains("boolean"));
    }

    #[test]
    fn integer_and_decimal_are_told_apart() {
        let int = AttributeDef::of_type("n", AttributeType::Integer, "");
        let dec = AttributeDef::of_type("d", AttributeType::Decimal, "");
        assert_eq!(check(&int, json!(-3)).unwrap(), Some(json!(-3)));
        assert!(rejected(&int, json!(1.5)).contains("integer"));
        assert!(rejected(&int, json!("3")).contains("integer"));
        assert_eq!(check(&dec, json!(1.5)).unwrap(), Some(json!(1.5)));
        assert_eq!(check(&dec, json!(2)).unwrap(), Some(json!(2)));
    }

    #[test]
    fn date_time_must_be_rfc3339_and_is_kept_as_given() {
        let at = AttributeDef::of_type("at", AttributeType::DateTime, "");
        let given = json!("2011-08-01T21:32:44.882+02:00");
        assert_eq!(check(&at, given.clone()).unwrap(), Some(given));
        assert!(rejected(&at, json!("2011-08-01")).contains("dateTime"));
    }

    #[test]
    fn binary_must_be_base64() {
        let bin = AttributeDef::of_type("b", AttributeType::Binary, "");
        for ok in ["", "TWFu", "TWE=", "TWE", "TQ==", "a+/9"] {
            assert!(check(&bin, json!(ok)).is_ok(), "{ok}");
        }
        for bad in ["TW=E", "T", "TQ===", "T@Fu", "TWE=="] {
            assert!(check(&bin, json!(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn multi_valued_requires_an_array_and_single_valued_refuses_one() {
        let tags = AttributeDef::string("tags", "").multi();
        let title = AttributeDef::string("title", "");
        assert!(rejected(&tags, json!("a")).contains("must be an array"));
        assert!(rejected(&title, json!(["a"])).contains("must not be an array"));
        assert!(rejected(&tags, json!([1])).contains("'tags' must be a string"));
    }

    #[test]
    fn null_empty_array_and_empty_object_mean_no_value() {
        let tags = AttributeDef::string("tags", "").multi();
        let name = AttributeDef::complex("name", "", vec![AttributeDef::string("givenName", "")]);
        assert_eq!(check(&tags, Value::Null).unwrap(), None);
        assert_eq!(check(&tags, json!([])).unwrap(), None);
        assert_eq!(check(&tags, json!([null])).unwrap(), None);
        assert_eq!(check(&name, json!({})).unwrap(), None);
        assert_eq!(check(&name, json!({"givenName": null})).unwrap(), None);
    }

    #[test]
    fn sub_attribute_names_are_canonicalised_and_unknown_ones_rejected() {
        let name = AttributeDef::complex("name", "", vec![AttributeDef::string("givenName", "")]);
        assert_eq!(
            check(&name, json!({"GIVENNAME": "Barbara"})).unwrap(),
            Some(json!({"givenName": "Barbara"}))
        );
        assert!(
            rejected(&name, json!({"nickname": "B"})).contains("unknown attribute 'name.nickname'")
        );
    }

    #[test]
    fn required_sub_attribute_must_be_present_and_not_blank() {
        let members = AttributeDef::complex(
            "members",
            "",
            vec![
                AttributeDef::string("value", "").required(),
                AttributeDef::string("type", ""),
            ],
        )
        .multi();
        assert!(
            rejected(&members, json!([{"type": "User"}])).contains("'members.value' is required")
        );
        assert!(
            rejected(&members, json!([{"value": "  "}])).contains("'members.value' is required")
        );
    }

    #[test]
    fn duplicate_primary_is_rejected() {
        let emails = AttributeDef::complex(
            "emails",
            "",
            vec![
                AttributeDef::string("value", ""),
                AttributeDef::of_type("primary", AttributeType::Boolean, ""),
            ],
        )
        .multi();
        let two = json!([{"value": "a", "primary": true}, {"value": "b", "primary": "true"}]);
        assert!(rejected(&emails, two).contains("primary"));
        let one = json!([{"value": "a", "primary": true}, {"value": "b", "primary": false}]);
        assert!(check(&emails, one).is_ok());
    }

    #[test]
    fn read_only_values_are_dropped_without_checking() {
        let groups = AttributeDef::string("groups", "")
            .multi()
            .mutability(Mutability::ReadOnly);
        assert_eq!(check(&groups, json!(42)).unwrap(), None);
    }

    #[test]
    fn the_same_attribute_twice_in_different_case_is_a_syntax_error() {
        let name = AttributeDef::complex("name", "", vec![AttributeDef::string("givenName", "")]);
        let object: Map<String, Value> =
            serde_json::from_value(json!({"givenName": "a", "GIVENNAME": "b"})).unwrap();
        let result = canonical_members(object, |n| name.sub_attribute(n), "name.");
        assert!(matches!(result, Err(DomainError::InvalidSyntax(_))));
    }
}
