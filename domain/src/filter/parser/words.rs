//! What a single word of a filter can be: an attribute path, a comparison operator or a
//! literal value. The lexer leaves words uninterpreted; the parser asks here once it knows
//! which of these it expects.

use serde_json::Number;

use crate::filter::ast::{AttrPath, CompValue, CompareOp};

/// `[schemaURN ":"] attrName ["." subAttr]`. The URN itself contains ':' and '.' ("2.0"), so
/// the attribute is what follows the last ':' and only that part is split on '.'.
pub(super) fn attr_path(word: &str) -> Option<AttrPath> {
    let (schema, rest) = match word.rsplit_once(':') {
        Some(("", _)) => return None,
        Some((schema, rest)) => (Some(schema.to_owned()), rest),
        None => (None, word),
    };
    let (attribute, sub_attribute) = match rest.split_once('.') {
        Some((attribute, sub)) => (attribute, Some(sub)),
        None => (rest, None),
    };
    if !is_attr_name(attribute) || !sub_attribute.is_none_or(is_attr_name) {
        return None;
    }
    Some(AttrPath {
        schema,
        attribute: attribute.to_owned(),
        sub_attribute: sub_attribute.map(str::to_owned),
    })
}

/// `ALPHA *(nameChar)`, plus `$ref` which RFC 7643 uses though the ABNF forgets it.
pub(super) fn is_attr_name(name: &str) -> bool {
    if name.eq_ignore_ascii_case("$ref") {
        return true;
    }
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `and`, `or`, `not`: where an operand belongs they start or join expressions, never name
/// an attribute.
pub(super) fn is_keyword(word: &str) -> bool {
    ["and", "or", "not"]
        .iter()
        .any(|keyword| keyword.eq_ignore_ascii_case(word))
}

pub(super) fn compare_op(word: &str) -> Option<CompareOp> {
    use CompareOp::*;
    [Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le]
        .into_iter()
        .find(|op| op.as_str().eq_ignore_ascii_case(word))
}

/// `true`, `false`, `null` or a JSON number; anything else is no value.
pub(super) fn word_value(word: &str) -> Option<CompValue> {
    match word.to_ascii_lowercase().as_str() {
        "true" => Some(CompValue::Bool(true)),
        "false" => Some(CompValue::Bool(false)),
        "null" => Some(CompValue::Null),
        _ => json_number(word).map(CompValue::Number),
    }
}

/// serde_json checks the JSON number syntax and keeps integers exact; fractions are parsed
/// again by the standard library, which rounds correctly where serde_json's fast path (without
/// its `float_roundtrip` feature) may be one unit off, so printed filters parse back equal.
fn json_number(word: &str) -> Option<Number> {
    let number = serde_json::from_str::<Number>(word).ok()?;
    if number.is_f64() {
        return Number::from_f64(word.parse::<f64>().ok()?);
    }
    Some(number)
}
