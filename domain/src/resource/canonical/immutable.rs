//! PUT replaces a resource wholesale, yet immutable attributes (RFC 7643 §2.2) may only be set
//! once: a replacement must repeat them unchanged or leave them out.

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeDef, AttributeType, Mutability, SchemaRegistry};

/// PUT: immutable attributes that already have a value must not change (400 mutability);
/// an immutable attribute the replacement omits keeps its stored value.
pub fn carry_immutable(
    registry: &SchemaRegistry,
    kind: ResourceKind,
    existing: &Map<String, Value>,
    replacement: &mut Map<String, Value>,
) -> DomainResult<()> {
    carry(
        &registry.core_schema(kind).attributes,
        existing,
        replacement,
        "",
    )?;
    for ext in registry.extensions(kind) {
        if !ext.attributes.iter().any(holds_immutable) {
            continue;
        }
        let Some(Value::Object(old)) = get_ci(existing, ext.id) else {
            continue;
        };
        let mut new = match replacement.get(ext.id) {
            Some(Value::Object(object)) => object.clone(),
            Some(_) => continue,
            None => Map::new(),
        };
        carry(&ext.attributes, old, &mut new, &format!("{}:", ext.id))?;
        if !new.is_empty() {
            replacement.insert(ext.id.to_owned(), Value::Object(new));
            list_schema(replacement, ext.id);
        }
    }
    Ok(())
}

/// Whether `attr` is immutable or reaches an immutable value through single-valued complex
/// attributes. Multi-valued complex attributes do not count: a PUT replaces their whole value
/// set (Group `members`), and their immutable sub-attributes only pin each element.
fn holds_immutable(attr: &AttributeDef) -> bool {
    attr.mutability == Mutability::Immutable
        || (attr.ty == AttributeType::Complex
            && !attr.multi_valued
            && attr.sub_attributes.iter().any(holds_immutable))
}

pub(super) fn carry(
    attrs: &[AttributeDef],
    old: &Map<String, Value>,
    new: &mut Map<String, Value>,
    prefix: &str,
) -> DomainResult<()> {
    for attr in attrs.iter().filter(|a| holds_immutable(a)) {
        let Some(old_value) = get_ci(old, attr.name) else {
            continue;
        };
        let path = format!("{prefix}{}", attr.name);
        if attr.mutability == Mutability::Immutable {
            if new
                .get(attr.name)
                .is_some_and(|v| !same_value(attr, old_value, v))
            {
                return Err(DomainError::Mutability(format!(
                    "attribute '{path}' is immutable and cannot be changed"
                )));
            }
            // Also when equal: a case-only difference must not rewrite the stored spelling.
            new.insert(attr.name.to_owned(), old_value.clone());
            continue;
        }
        let Value::Object(old_sub) = old_value else {
            continue;
        };
        let mut new_sub = match new.get(attr.name) {
            Some(Value::Object(object)) => object.clone(),
            Some(_) => continue,
            None => Map::new(),
        };
        carry(
            &attr.sub_attributes,
            old_sub,
            &mut new_sub,
            &format!("{path}."),
        )?;
        if !new_sub.is_empty() {
            new.insert(attr.name.to_owned(), Value::Object(new_sub));
        }
    }
    Ok(())
}

/// Equality under the attribute's caseExact rule (RFC 7643 §2.2).
fn same_value(attr: &AttributeDef, old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::String(a), Value::String(b)) if !attr.case_exact => {
            a.to_lowercase() == b.to_lowercase()
        }
        _ => old == new,
    }
}

/// Stored documents are canonical, but a lenient lookup costs nothing and survives older data.
fn get_ci<'m>(map: &'m Map<String, Value>, name: &str) -> Option<&'m Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn list_schema(document: &mut Map<String, Value>, urn: &str) {
    if let Some(Value::Array(schemas)) = document.get_mut("schemas")
        && !schemas.iter().any(|s| s.as_str() == Some(urn))
    {
        schemas.push(Value::from(urn));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        serde_json::from_value(value).unwrap()
    }

    fn attrs() -> Vec<AttributeDef> {
        vec![
            AttributeDef::string("badge", "").mutability(Mutability::Immutable),
            AttributeDef::string("title", ""),
            AttributeDef::complex(
                "origin",
                "",
                vec![
                    AttributeDef::string("system", "")
                        .case_exact()
                        .mutability(Mutability::Immutable),
                    AttributeDef::string("note", ""),
                ],
            ),
        ]
    }

    #[test]
    fn immutable_change_is_rejected() {
        let old = object(json!({"badge": "B-1"}));
        let mut new = object(json!({"badge": "B-2"}));
        let err = carry(&attrs(), &old, &mut new, "").unwrap_err();
        assert!(matches!(err, DomainError::Mutability(d) if d.contains("'badge'")));
    }

    #[test]
    fn immutable_omission_carries_the_stored_value() {
        let old = object(json!({"badge": "B-1", "title": "old"}));
        let mut new = object(json!({"title": "new"}));
        carry(&attrs(), &old, &mut new, "").unwrap();
        assert_eq!(new, object(json!({"badge": "B-1", "title": "new"})));
    }

    #[test]
    fn immutable_repeat_differing_only_in_case_keeps_stored_spelling() {
        let old = object(json!({"badge": "b-1"}));
        let mut new = object(json!({"badge": "B-1"}));
        carry(&attrs(), &old, &mut new, "").unwrap();
        assert_eq!(new["badge"], "b-1");
    }

    #[test]
    fn immutable_may_be_set_when_it_had_no_value() {
        let old = object(json!({}));
        let mut new = object(json!({"badge": "B-1"}));
        carry(&attrs(), &old, &mut new, "").unwrap();
        assert_eq!(new["badge"], "B-1");
    }

    #[test]
    fn immutable_sub_attribute_of_single_valued_complex_is_guarded() {
        let old = object(json!({"origin": {"system": "hr", "note": "x"}}));
        let mut changed = object(json!({"origin": {"system": "HR"}}));
        let err = carry(&attrs(), &old, &mut changed, "").unwrap_err();
        assert!(matches!(err, DomainError::Mutability(d) if d.contains("'origin.system'")));

        let mut omitted = object(json!({"title": "t"}));
        carry(&attrs(), &old, &mut omitted, "").unwrap();
        assert_eq!(omitted["origin"], json!({"system": "hr"}));
    }

    #[test]
    fn group_members_are_replaced_as_a_whole() {
        let registry = SchemaRegistry::standard();
        let old = object(json!({"displayName": "g", "members": [{"value": "a"}]}));
        let mut new = object(json!({"displayName": "g", "members": [{"value": "b"}]}));
        carry_immutable(&registry, ResourceKind::Group, &old, &mut new).unwrap();
        assert_eq!(new["members"], json!([{"value": "b"}]));

        let mut emptied = object(json!({"displayName": "g"}));
        carry_immutable(&registry, ResourceKind::Group, &old, &mut emptied).unwrap();
        assert!(!emptied.contains_key("members"));
    }
}
