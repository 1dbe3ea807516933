//! Discovery documents: `/Schemas` (RFC 7643 §7) and `/ResourceTypes` (RFC 7643 §6), rendered
//! from the same definitions that validate requests.

use serde_json::{Map, Value, json};

use super::attribute::{AttributeDef, AttributeType, SchemaDef};
use super::registry::ResourceTypeDef;

const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

pub fn schema_resource(schema: &SchemaDef, location: &str) -> Value {
    json!({
        "schemas": [SCHEMA_URN],
        "id": schema.id,
        "name": schema.name,
        "description": schema.description,
        "attributes": schema.attributes.iter().map(attribute).collect::<Vec<_>>(),
        "meta": { "resourceType": "Schema", "location": location },
    })
}

pub fn resource_type_resource(rt: &ResourceTypeDef, location: &str) -> Value {
    let extensions: Vec<Value> = rt
        .extensions
        .iter()
        .map(|ext| json!({ "schema": ext.schema, "required": ext.required }))
        .collect();
    json!({
        "schemas": [RESOURCE_TYPE_URN],
        "id": rt.id(),
        "name": rt.name(),
        "endpoint": rt.endpoint(),
        "description": rt.description,
        "schema": rt.schema,
        "schemaExtensions": extensions,
        "meta": { "resourceType": "ResourceType", "location": location },
    })
}

/// Every characteristic is written out, defaults included: clients such as Entra ID and Okta
/// read the schema literally and do not apply RFC 7643 §2.2 defaults themselves.
fn attribute(attr: &AttributeDef) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), attr.name.into());
    out.insert("type".into(), attr.ty.as_str().into());
    out.insert("multiValued".into(), attr.multi_valued.into());
    out.insert("description".into(), attr.description.into());
    out.insert("required".into(), attr.required.into());
    out.insert("caseExact".into(), attr.case_exact.into());
    out.insert("mutability".into(), attr.mutability.as_str().into());
    out.insert("returned".into(), attr.returned.as_str().into());
    out.insert("uniqueness".into(), attr.uniqueness.as_str().into());
    if !attr.canonical_values.is_empty() {
        out.insert("canonicalValues".into(), attr.canonical_values.into());
    }
    if attr.ty == AttributeType::Reference {
        out.insert("referenceTypes".into(), attr.reference_types.into());
    }
    if attr.ty == AttributeType::Complex {
        let subs: Vec<Value> = attr.sub_attributes.iter().map(attribute).collect();
        out.insert("subAttributes".into(), subs.into());
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::schema::kind::{ResourceKind, USER_SCHEMA};
    use crate::schema::registry::SchemaRegistry;

    const CHARACTERISTICS: [&str; 9] = [
        "name",
        "type",
        "multiValued",
        "description",
        "required",
        "caseExact",
        "mutability",
        "returned",
        "uniqueness",
    ];

    fn assert_all_characteristics(attrs: &[Value], path: &str) {
        for attr in attrs {
            let name = attr["name"].as_str().unwrap();
            for key in CHARACTERISTICS {
                assert!(attr.get(key).is_some(), "{path}{name} lacks {key}");
            }
            if attr["type"] == "reference" {
                assert!(
                    attr["referenceTypes"].is_array(),
                    "{path}{name} lacks referenceTypes"
                );
            }
            if attr["type"] == "complex" {
                let subs = attr["subAttributes"].as_array().unwrap();
                assert!(!subs.is_empty(), "{path}{name} has no subAttributes");
                assert_all_characteristics(subs, &format!("{path}{name}."));
            }
        }
    }

    fn find<'a>(attrs: &'a Value, name: &str) -> &'a Value {
        attrs
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap()
    }

    #[test]
    fn every_attribute_and_sub_attribute_has_all_characteristics() {
        let registry = SchemaRegistry::standard();
        for schema in registry.schemas() {
            let rendered = schema_resource(schema, "/Schemas/x");
            assert_all_characteristics(rendered["attributes"].as_array().unwrap(), "");
        }
    }

    #[test]
    fn user_name_is_required_and_server_unique() {
        let registry = SchemaRegistry::standard();
        let rendered = schema_resource(registry.core_schema(ResourceKind::User), "/x");
        let user_name = find(&rendered["attributes"], "userName");
        assert_eq!(user_name["required"], true);
        assert_eq!(user_name["uniqueness"], "server");
        assert_eq!(user_name["caseExact"], false);
    }

    #[test]
    fn password_is_write_only_and_never_returned() {
        let registry = SchemaRegistry::standard();
        let rendered = schema_resource(registry.core_schema(ResourceKind::User), "/x");
        let password = find(&rendered["attributes"], "password");
        assert_eq!(password["mutability"], "writeOnly");
        assert_eq!(password["returned"], "never");
    }

    #[test]
    fn canonical_values_and_reference_types_are_rendered() {
        let registry = SchemaRegistry::standard();
        let rendered = schema_resource(registry.core_schema(ResourceKind::User), "/x");
        let emails = find(&rendered["attributes"], "emails");
        let email_type = find(&emails["subAttributes"], "type");
        assert_eq!(
            email_type["canonicalValues"],
            json!(["work", "home", "other"])
        );
        let groups = find(&rendered["attributes"], "groups");
        assert_eq!(groups["mutability"], "readOnly");
        let group_ref = find(&groups["subAttributes"], "$ref");
        assert_eq!(group_ref["referenceTypes"], json!(["User", "Group"]));
    }

    #[test]
    fn schema_resource_carries_identity_and_meta() {
        let registry = SchemaRegistry::standard();
        let schema = registry.core_schema(ResourceKind::User);
        let rendered = schema_resource(schema, "https://h/scim/v2/Schemas/u");
        assert_eq!(rendered["schemas"], json!([SCHEMA_URN]));
        assert_eq!(rendered["id"], USER_SCHEMA);
        assert_eq!(rendered["name"], "User");
        assert_eq!(rendered["meta"]["resourceType"], "Schema");
        assert_eq!(rendered["meta"]["location"], "https://h/scim/v2/Schemas/u");
    }

    #[test]
    fn user_resource_type_lists_the_enterprise_extension() {
        let registry = SchemaRegistry::standard();
        let rt = registry.resource_type(ResourceKind::User);
        let rendered = resource_type_resource(rt, "/ResourceTypes/User");
        assert_eq!(
            rendered,
            json!({
                "schemas": [RESOURCE_TYPE_URN],
                "id": "User",
                "name": "User",
                "endpoint": "/Users",
                "description": "User Account",
                "schema": USER_SCHEMA,
                "schemaExtensions": [{
                    "schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                    "required": false,
                }],
                "meta": { "resourceType": "ResourceType", "location": "/ResourceTypes/User" },
            })
        );
    }
}
