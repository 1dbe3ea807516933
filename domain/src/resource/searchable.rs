//! The searchable values of a document, one entry per leaf value, for the store's value index.
//! Normalisation happens here, once, so that the database compares plain strings: values of
//! case-insensitive attributes are lowercased, dateTimes become one fixed UTC format (so text
//! order is time order), numbers also get a numeric copy.

use serde_json::{Map, Value};

use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeDef, AttributeType, SchemaRegistry};

/// Longest normalised value kept; longer values (certificates, photos) are not filterable.
pub const MAX_INDEXED_BYTES: usize = 512;

/// Attributes with a column of their own in the resources table.
pub const COLUMN_ATTRIBUTES: [&str; 3] = ["userName", "displayName", "externalId"];

/// One entry of the value index.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchValue {
    /// `name.givenname`, `emails.value`, `urn:…:enterprise:2.0:user:department` (lowercase).
    pub path: String,
    /// Position in a multi-valued attribute (0 for single values).
    pub element: i32,
    /// Whether the element is marked `primary`.
    pub primary: bool,
    /// `None` for the marker entry of a complex value.
    pub norm: Option<String>,
    pub num: Option<f64>,
}

/// The index key of an attribute: schema URN (extensions only), attribute, sub-attribute.
pub fn path_key(extension: Option<&str>, attribute: &str, sub: Option<&str>) -> String {
    let mut key = String::new();
    if let Some(urn) = extension {
        key.push_str(urn);
        key.push(':');
    }
    key.push_str(attribute);
    if let Some(sub) = sub {
        key.push('.');
        key.push_str(sub);
    }
    key.to_lowercase()
}

/// Normalises a value of `def` as the index stores it; `None` when it cannot be indexed.
pub fn normalize(def: &AttributeDef, value: &Value) -> Option<String> {
    let text = match (def.ty, value) {
        (AttributeType::Binary | AttributeType::Complex, _) => return None,
        (AttributeType::DateTime, Value::String(s)) => normalize_date_time(s)?,
        (_, Value::String(s)) if def.case_exact => s.clone(),
        (_, Value::String(s)) => s.to_lowercase(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Number(n)) => n.to_string(),
        _ => return None,
    };
    (text.len() <= MAX_INDEXED_BYTES).then_some(text)
}

/// A dateTime in one sortable form: UTC, microseconds, `Z`.
pub fn normalize_date_time(raw: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(raw).ok().map(|t| {
        t.with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()
    })
}

/// Every searchable value of a stored document (canonical names, as `canonicalize` leaves it).
pub fn searchable_values(
    registry: &SchemaRegistry,
    kind: ResourceKind,
    document: &Map<String, Value>,
) -> Vec<SearchValue> {
    let mut out = Vec::new();
    let core = registry.core_schema(kind);
    for def in &core.attributes {
        if COLUMN_ATTRIBUTES.contains(&def.name) {
            continue;
        }
        if let Some(value) = document.get(def.name) {
            collect(&mut out, None, def, value);
        }
    }
    for extension in registry.extensions(kind) {
        let Some(Value::Object(ext)) = document.get(extension.id) else {
            continue;
        };
        for def in &extension.attributes {
            if let Some(value) = ext.get(def.name) {
                collect(&mut out, Some(extension.id), def, value);
            }
        }
    }
    out
}

fn collect(out: &mut Vec<SearchValue>, extension: Option<&str>, def: &AttributeDef, value: &Value) {
    let elements: Vec<&Value> = match value {
        Value::Array(items) if def.multi_valued => items.iter().collect(),
        single => vec![single],
    };
    for (index, element) in elements.into_iter().enumerate() {
        let element_no = i32::try_from(index).unwrap_or(i32::MAX);
        match (def.ty, element) {
            (AttributeType::Complex, Value::Object(fields)) => {
                let primary = fields
                    .get("primary")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                out.push(SearchValue {
                    path: path_key(extension, def.name, None),
                    element: element_no,
                    primary,
                    norm: None,
                    num: None,
                });
                for sub in &def.sub_attributes {
                    if let Some(sub_value) = fields.get(sub.name) {
                        push_leaf(
                            out,
                            path_key(extension, def.name, Some(sub.name)),
                            sub,
                            sub_value,
                            element_no,
                            primary,
                        );
                    }
                }
            }
            _ => push_leaf(
                out,
                path_key(extension, def.name, None),
                def,
                element,
                element_no,
                false,
            ),
        }
    }
}

fn push_leaf(
    out: &mut Vec<SearchValue>,
    path: String,
    def: &AttributeDef,
    value: &Value,
    element: i32,
    primary: bool,
) {
    if let Some(norm) = normalize(def, value) {
        out.push(SearchValue {
            path,
            element,
            primary,
            norm: Some(norm),
            num: value.as_f64(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::kind::ENTERPRISE_USER_SCHEMA;
    use serde_json::json;

    fn values_of(doc: Value) -> Vec<SearchValue> {
        let Value::Object(map) = doc else {
            panic!("object")
        };
        searchable_values(&SchemaRegistry::standard(), ResourceKind::User, &map)
    }

    #[test]
    fn multi_valued_complex_values_keep_their_element_and_primary_flag() {
        let values = values_of(json!({
            "userName": "ada",
            "emails": [{"value": "A@X.org", "type": "work"}, {"value": "b@y.org", "primary": true}],
        }));
        let emails: Vec<_> = values.iter().filter(|v| v.path == "emails.value").collect();
        assert_eq!(emails.len(), 2);
        assert_eq!(emails[0].norm.as_deref(), Some("a@x.org"));
        assert_eq!((emails[1].element, emails[1].primary), (1, true));
        assert!(
            values
                .iter()
                .any(|v| v.path == "emails" && v.element == 1 && v.norm.is_none())
        );
        assert!(
            !values.iter().any(|v| v.path == "username"),
            "userName has its own column"
        );
    }

    #[test]
    fn extension_values_are_keyed_by_urn_and_date_times_normalised() {
        let values = values_of(json!({
            ENTERPRISE_USER_SCHEMA: {"department": "R&D", "manager": {"value": "m1"}},
        }));
        let dept = values
            .iter()
            .find(|v| {
                v.path == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department"
            })
            .unwrap();
        assert_eq!(dept.norm.as_deref(), Some("r&d"));
        assert_eq!(
            normalize_date_time("2011-05-13T06:42:34+02:00").as_deref(),
            Some("2011-05-13T04:42:34.000000Z")
        );
    }

    #[test]
    fn over_long_values_are_not_indexed() {
        let values = values_of(json!({"title": "x".repeat(MAX_INDEXED_BYTES + 1)}));
        assert!(values.is_empty());
    }
}
