//! A comparison's `compValue` read as the type of the attribute it is compared with, once,
//! while the filter is resolved. Every consumer of a resolved filter (the SQL compiler, and
//! the in-memory evaluator behind PATCH paths, row filters and `/Me`) then meets the same
//! typed value, so a search and a PATCH path cannot disagree on what
//! `roles[primary eq "True"]` selects.
//!
//! - booleans: `"true"`/`"false"` in any case are the booleans (Entra ID quotes them);
//! - integers and decimals: a quoted JSON number is that number;
//! - dateTimes: the value must be an RFC 3339 dateTime;
//! - strings and references compare with strings only.
//!
//! Operators the type has no meaning for (`co` on a boolean, `gt` on a boolean) are refused,
//! as is a literal of another type where the two implementations would answer differently.
//! A literal that merely cannot be equal (`active eq "yes"`) stays as written: it matches
//! nothing under `eq` on either side, and `ne` is its negation.

use chrono::DateTime;
use serde_json::Number;

use super::ast::{CompValue, CompareOp};
use crate::error::{DomainError, DomainResult};
use crate::schema::{AttributeDef, AttributeType};

/// `value` as a literal of `leaf`'s type, or why `path op value` is no valid comparison.
pub(super) fn typed(
    path: &str,
    op: CompareOp,
    value: CompValue,
    leaf: &AttributeDef,
) -> DomainResult<CompValue> {
    if value == CompValue::Null {
        return match op {
            CompareOp::Eq | CompareOp::Ne => Ok(value),
            _ => Err(invalid(format!(
                "'{}' cannot compare with null",
                op.as_str()
            ))),
        };
    }
    let substring = matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew);
    let ordering = matches!(
        op,
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
    );
    let not_for_type = || {
        invalid(format!(
            "'{}' cannot be used on '{path}', a {} attribute",
            op.as_str(),
            leaf.ty.as_str()
        ))
    };
    match leaf.ty {
        AttributeType::Boolean => {
            if substring || ordering {
                return Err(not_for_type());
            }
            Ok(match value {
                CompValue::String(text) => match boolean(&text) {
                    Some(b) => CompValue::Bool(b),
                    None => CompValue::String(text),
                },
                other => other,
            })
        }
        AttributeType::Integer | AttributeType::Decimal => {
            if substring {
                return Err(not_for_type());
            }
            let value = match value {
                CompValue::String(text) => match text.trim().parse::<Number>() {
                    Ok(number) => CompValue::Number(number),
                    Err(_) => CompValue::String(text),
                },
                other => other,
            };
            // The database orders the text of numbers, which is no numeric order.
            if ordering && !matches!(value, CompValue::Number(_)) {
                return Err(wrong_literal(path, leaf, "a number"));
            }
            Ok(value)
        }
        AttributeType::DateTime => {
            if substring {
                return Err(not_for_type());
            }
            match value {
                CompValue::String(text) if DateTime::parse_from_rfc3339(&text).is_ok() => {
                    Ok(CompValue::String(text))
                }
                _ => Err(wrong_literal(path, leaf, "a quoted RFC 3339 dateTime")),
            }
        }
        AttributeType::String
        | AttributeType::Reference
        | AttributeType::Binary
        | AttributeType::Complex => match value {
            CompValue::String(text) => Ok(CompValue::String(text)),
            _ => Err(wrong_literal(path, leaf, "a quoted string")),
        },
    }
}

/// `true`/`false` in any case, as Entra ID writes `"True"`.
fn boolean(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn wrong_literal(path: &str, leaf: &AttributeDef, expected: &str) -> DomainError {
    invalid(format!(
        "'{path}' is a {} attribute: compare it with {expected}",
        leaf.ty.as_str()
    ))
}

fn invalid(detail: String) -> DomainError {
    DomainError::InvalidFilter(detail)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn attr(ty: AttributeType) -> AttributeDef {
        AttributeDef::of_type("a", ty, "")
    }

    fn s(text: &str) -> CompValue {
        CompValue::String(text.into())
    }

    #[test]
    fn quoted_booleans_in_any_case_are_booleans() {
        let b = attr(AttributeType::Boolean);
        for (text, expected) in [("True", true), ("FALSE", false), ("true", true)] {
            assert_eq!(
                typed("a", CompareOp::Eq, s(text), &b).unwrap(),
                CompValue::Bool(expected)
            );
        }
        assert_eq!(typed("a", CompareOp::Ne, s("yes"), &b).unwrap(), s("yes"));
        for op in [CompareOp::Co, CompareOp::Sw, CompareOp::Gt] {
            assert!(matches!(
                typed("a", op, s("true"), &b),
                Err(DomainError::InvalidFilter(_))
            ));
        }
    }

    #[test]
    fn quoted_numbers_are_numbers_and_ordering_needs_one() {
        for ty in [AttributeType::Integer, AttributeType::Decimal] {
            let n = attr(ty);
            assert_eq!(
                typed("a", CompareOp::Ge, s("5"), &n).unwrap(),
                CompValue::Number(5.into())
            );
            assert_eq!(typed("a", CompareOp::Eq, s("five"), &n).unwrap(), s("five"));
            assert!(typed("a", CompareOp::Gt, s("five"), &n).is_err());
            assert!(typed("a", CompareOp::Co, s("5"), &n).is_err());
        }
    }

    #[test]
    fn date_times_must_be_rfc_3339_and_take_no_substring_operator() {
        let d = attr(AttributeType::DateTime);
        let at = s("2011-05-13T04:42:34Z");
        assert_eq!(typed("a", CompareOp::Gt, at.clone(), &d).unwrap(), at);
        assert!(typed("a", CompareOp::Eq, s("yesterday"), &d).is_err());
        assert!(typed("a", CompareOp::Sw, s("2011"), &d).is_err());
        assert!(typed("a", CompareOp::Eq, CompValue::Bool(true), &d).is_err());
    }

    #[test]
    fn strings_compare_with_strings_only() {
        let text = attr(AttributeType::String);
        assert_eq!(typed("a", CompareOp::Co, s("x"), &text).unwrap(), s("x"));
        assert!(typed("a", CompareOp::Eq, CompValue::Bool(true), &text).is_err());
        assert!(typed("a", CompareOp::Eq, CompValue::Number(1.into()), &text).is_err());
    }

    #[test]
    fn null_compares_only_for_equality() {
        let text = attr(AttributeType::String);
        assert_eq!(
            typed("a", CompareOp::Ne, CompValue::Null, &text).unwrap(),
            CompValue::Null
        );
        assert!(typed("a", CompareOp::Gt, CompValue::Null, &text).is_err());
    }
}
