//! How one value of a resource compares with a filter's `compValue` (RFC 7644 §3.4.2.2):
//! strings honour the attribute's caseExact, dateTimes compare as instants, numbers
//! numerically, booleans only for equality. Mismatched types never match.

use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::DateTime;
use serde_json::{Number, Value};

use super::ast::{CompValue, CompareOp};
use crate::schema::{AttributeDef, AttributeType};

/// Whether `actual op expected` holds for a value of the attribute `leaf`.
pub(super) fn compare(
    actual: &Value,
    op: CompareOp,
    expected: &CompValue,
    leaf: &AttributeDef,
) -> bool {
    match (actual, expected) {
        (Value::String(a), CompValue::String(e)) => compare_strings(a, op, e, leaf),
        (Value::Bool(a), CompValue::Bool(e)) => match op {
            CompareOp::Eq => a == e,
            CompareOp::Ne => a != e,
            _ => false,
        },
        (Value::Number(a), CompValue::Number(e)) => {
            compare_numbers(a, e).is_some_and(|order| holds(op, order))
        }
        _ => false,
    }
}

fn compare_strings(actual: &str, op: CompareOp, expected: &str, leaf: &AttributeDef) -> bool {
    // "2011-05-13T04:42:34Z" and "2011-05-13T04:42:34.000Z" are the same instant; only
    // substring operators look at the text of a dateTime.
    if leaf.ty == AttributeType::DateTime
        && !matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew)
        && let (Ok(a), Ok(e)) = (
            DateTime::parse_from_rfc3339(actual),
            DateTime::parse_from_rfc3339(expected),
        )
    {
        return holds(op, a.cmp(&e));
    }
    let (actual, expected): (Cow<'_, str>, Cow<'_, str>) = if leaf.case_exact {
        (actual.into(), expected.into())
    } else {
        (actual.to_lowercase().into(), expected.to_lowercase().into())
    };
    match op {
        CompareOp::Co => actual.contains(&*expected),
        CompareOp::Sw => actual.starts_with(&*expected),
        CompareOp::Ew => actual.ends_with(&*expected),
        _ => holds(op, actual.cmp(&expected)),
    }
}

/// Integers compare exactly; anything involving a fraction compares as f64.
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Whether an ordering satisfies an equality or ordering operator; substring operators make
/// no sense on it.
fn holds(op: CompareOp, order: Ordering) -> bool {
    match op {
        CompareOp::Eq => order == Ordering::Equal,
        CompareOp::Ne => order != Ordering::Equal,
        CompareOp::Gt => order == Ordering::Greater,
        CompareOp::Ge => order != Ordering::Less,
        CompareOp::Lt => order == Ordering::Less,
        CompareOp::Le => order != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn string_attr(case_exact: bool) -> AttributeDef {
        let attr = AttributeDef::string("s", "");
        if case_exact { attr.case_exact() } else { attr }
    }

    fn s(v: &str) -> CompValue {
        CompValue::String(v.into())
    }

    #[test]
    fn case_insensitive_strings_ignore_case_and_case_exact_ones_do_not() {
        let v = json!("BJensen");
        assert!(compare(
            &v,
            CompareOp::Eq,
            &s("bjensen"),
            &string_attr(false)
        ));
        assert!(!compare(
            &v,
            CompareOp::Eq,
            &s("bjensen"),
            &string_attr(true)
        ));
        assert!(compare(&v, CompareOp::Sw, &s("bj"), &string_attr(false)));
        assert!(compare(&v, CompareOp::Ew, &s("SEN"), &string_attr(false)));
        assert!(compare(&v, CompareOp::Co, &s("Jen"), &string_attr(true)));
        assert!(compare(&v, CompareOp::Gt, &s("a"), &string_attr(false)));
        assert!(!compare(&v, CompareOp::Gt, &s("a"), &string_attr(true)));
    }

    #[test]
    fn date_times_compare_as_instants() {
        let attr = AttributeDef::of_type("d", AttributeType::DateTime, "");
        let v = json!("2011-05-13T04:42:34.000Z");
        assert!(compare(
            &v,
            CompareOp::Eq,
            &s("2011-05-13T04:42:34Z"),
            &attr
        ));
        assert!(compare(
            &v,
            CompareOp::Gt,
            &s("2011-05-13T06:42:33+02:00"),
            &attr
        ));
        assert!(compare(
            &v,
            CompareOp::Le,
            &s("2011-05-13T04:42:34Z"),
            &attr
        ));
        assert!(compare(&v, CompareOp::Sw, &s("2011-05"), &attr));
    }

    #[test]
    fn numbers_compare_numerically_and_booleans_only_for_equality() {
        let attr = AttributeDef::of_type("n", AttributeType::Decimal, "");
        let n = |v: &str| CompValue::Number(serde_json::from_str(v).unwrap());
        assert!(compare(&json!(10), CompareOp::Gt, &n("9"), &attr));
        assert!(compare(&json!(10), CompareOp::Eq, &n("1e1"), &attr));
        assert!(compare(&json!(-1.5), CompareOp::Lt, &n("-1"), &attr));
        assert!(!compare(&json!(10), CompareOp::Co, &n("1"), &attr));
        let b = AttributeDef::of_type("b", AttributeType::Boolean, "");
        assert!(compare(
            &json!(true),
            CompareOp::Eq,
            &CompValue::Bool(true),
            &b
        ));
        assert!(!compare(
            &json!(true),
            CompareOp::Gt,
            &CompValue::Bool(false),
            &b
        ));
    }

    #[test]
    fn mismatched_types_never_match() {
        let attr = string_attr(false);
        assert!(!compare(&json!(true), CompareOp::Eq, &s("true"), &attr));
        assert!(!compare(
            &json!("1"),
            CompareOp::Eq,
            &CompValue::Number(1.into()),
            &attr
        ));
        assert!(!compare(&json!({"a": 1}), CompareOp::Eq, &s("x"), &attr));
    }
}
