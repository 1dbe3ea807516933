//! Values of a multi-valued attribute addressed through a value filter: which ones match,
//! the value a filter describes when none does, and the single `primary` rule.

use serde_json::{Map, Value};

use crate::filter::{self, CompValue, CompareOp, Filter};

use super::target::{AttrTarget, ResourceType};

/// Indices of the values in `items` that `target`'s filter selects. Each value is evaluated
/// on its own by the filter evaluator, so matching follows the same rules as a search
/// (caseExact, `eq` on booleans and dateTimes).
pub(super) fn matching(
    ty: ResourceType<'_>,
    target: &AttrTarget<'_>,
    items: &[Value],
) -> Vec<usize> {
    let Some(filter) = &target.filter else {
        return (0..items.len()).collect();
    };
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            let resource = alone(target, (*item).clone());
            filter::matches(filter, &resource, ty.registry, ty.kind)
        })
        .map(|(i, _)| i)
        .collect()
}

/// A resource holding only `item` as the value of `target`'s attribute.
fn alone(target: &AttrTarget<'_>, item: Value) -> Value {
    let mut holder = Map::new();
    holder.insert(target.attr.name.to_owned(), Value::Array(vec![item]));
    match target.container {
        None => Value::Object(holder),
        Some(urn) => {
            let mut root = Map::new();
            root.insert(urn.to_owned(), Value::Object(holder));
            Value::Object(root)
        }
    }
}

/// The value `filter` describes when it is a conjunction of `sub eq value` tests, e.g.
/// `type eq "work"` → `{"type": "work"}`: what `add`/`replace` on `emails[type eq
/// "work"].value` creates when no email is of type work (Entra ID relies on it). `None` for
/// any other filter, which describes no single value.
pub(super) fn described_by(filter: &Filter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    collect(filter, &mut out).then_some(out)
}

fn collect(filter: &Filter, out: &mut Map<String, Value>) -> bool {
    match filter {
        Filter::And(left, right) => collect(left, out) && collect(right, out),
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } if path.sub_attribute.is_none() => {
            let value = match value {
                CompValue::Null => return false,
                CompValue::Bool(b) => Value::Bool(*b),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::String(s) => Value::String(s.clone()),
            };
            out.insert(path.attribute.clone(), value);
            true
        }
        _ => false,
    }
}

/// RFC 7643 §2.4: `primary: true` appears at most once. When exactly one of the values at
/// `touched` (those an operation just wrote) is primary, the others lose it; several would be
/// the client's contradiction, left for validation to refuse.
pub(super) fn keep_one_primary(items: &mut [Value], touched: &[usize]) {
    let primaries: Vec<usize> = touched
        .iter()
        .copied()
        .filter(|&i| items.get(i).is_some_and(is_primary))
        .collect();
    let [winner] = primaries[..] else {
        return;
    };
    for (i, item) in items.iter_mut().enumerate() {
        if i != winner
            && is_primary(item)
            && let Value::Object(object) = item
        {
            object.insert("primary".to_owned(), Value::Bool(false));
        }
    }
}

fn is_primary(item: &Value) -> bool {
    item.get("primary") == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;
    use crate::filter::parse;

    #[test]
    fn conjunction_of_equalities_describes_a_value() {
        let filter = parse(r#"type eq "work" and primary eq true"#).unwrap();
        assert_eq!(
            described_by(&filter).map(Value::Object),
            Some(json!({"type": "work", "primary": true}))
        );
        for other in [
            r#"type eq "a" or type eq "b""#,
            r#"type co "w""#,
            "type eq null",
        ] {
            assert_eq!(described_by(&parse(other).unwrap()), None, "{other}");
        }
    }

    #[test]
    fn a_new_primary_demotes_the_others() {
        let mut items = vec![
            json!({"value": "a", "primary": true}),
            json!({"value": "b"}),
            json!({"value": "c", "primary": true}),
        ];
        keep_one_primary(&mut items, &[1, 2]);
        assert_eq!(
            items,
            [
                json!({"value": "a", "primary": false}),
                json!({"value": "b"}),
                json!({"value": "c", "primary": true}),
            ]
        );
    }

    #[test]
    fn two_new_primaries_are_left_for_validation() {
        let mut items = vec![json!({"primary": true}), json!({"primary": true})];
        keep_one_primary(&mut items, &[0, 1]);
        assert_eq!(items, [json!({"primary": true}), json!({"primary": true})]);
    }
}
