//! Walks a rendered resource (layout of `render`: core and common attributes at the top,
//! each extension's attributes in an object under its URN) and drops what [`Mode`] rejects.

use serde_json::{Map, Value};

use super::Mode;
use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeDef, SchemaRegistry};

pub(super) fn project(
    mode: &Mode,
    resource: &mut Value,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) {
    let Some(object) = resource.as_object_mut() else {
        return;
    };
    let core = registry.core_schema(kind);
    let common = registry.common_attributes();
    object.retain(|key, value| {
        if key == "schemas" {
            return true;
        }
        if let Some(extension) = registry
            .extensions(kind)
            .find(|e| e.id.eq_ignore_ascii_case(key))
        {
            let Some(inner) = value.as_object_mut() else {
                return mode.keeps(None, None);
            };
            inner.retain(|name, value| {
                attribute(mode, Some(extension.id), extension.attribute(name), value)
            });
            // An extension with nothing left would be an empty object in the response.
            return !inner.is_empty();
        }
        match common.iter().find(|a| a.name.eq_ignore_ascii_case(key)) {
            Some(def) => attribute(mode, None, Some(def), value),
            None => attribute(mode, Some(core.id), core.attribute(key), value),
        }
    });
    let mut schemas = vec![Value::String(core.id.to_owned())];
    schemas.extend(
        registry
            .extensions(kind)
            .filter(|e| object.keys().any(|k| k.eq_ignore_ascii_case(e.id)))
            .map(|e| Value::String(e.id.to_owned())),
    );
    object.insert("schemas".into(), Value::Array(schemas));
}

/// Projects one attribute in place; false when it should go.
fn attribute(
    mode: &Mode,
    schema: Option<&str>,
    def: Option<&AttributeDef>,
    value: &mut Value,
) -> bool {
    if !mode.keeps(schema, def) {
        return false;
    }
    let Some(def) = def.filter(|d| !d.sub_attributes.is_empty()) else {
        return true;
    };
    match value {
        Value::Object(element) => {
            element_fields(mode, schema, def, element);
            !element.is_empty()
        }
        Value::Array(elements) => {
            elements.retain_mut(|element| match element {
                Value::Object(element) => {
                    element_fields(mode, schema, def, element);
                    !element.is_empty()
                }
                _ => true,
            });
            // `[]` and an absent attribute mean the same in SCIM; absent is what clients expect.
            !elements.is_empty()
        }
        _ => true,
    }
}

fn element_fields(
    mode: &Mode,
    schema: Option<&str>,
    parent: &AttributeDef,
    element: &mut Map<String, Value>,
) {
    element.retain(|name, _| mode.keeps_sub(schema, parent, name, parent.sub_attribute(name)));
}
