//! The schemas and resource types this server offers, built once at startup and shared.

use super::attribute::{AttributeDef, SchemaDef};
use super::common::common_attributes;
use super::enterprise_user::enterprise_user_schema;
use super::group::group_schema;
use super::user::user_schema;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, ResourceKind, USER_SCHEMA};

/// A schema that extends a resource type's core schema (RFC 7643 §6 `schemaExtensions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaExtension {
    pub schema: &'static str,
    pub required: bool,
}

/// A resource type as `/ResourceTypes` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceTypeDef {
    pub kind: ResourceKind,
    pub description: &'static str,
    pub schema: &'static str,
    pub extensions: Vec<SchemaExtension>,
}

impl ResourceTypeDef {
    pub fn id(&self) -> &'static str {
        self.kind.name()
    }

    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn endpoint(&self) -> &'static str {
        self.kind.endpoint()
    }
}

/// Every schema and resource type, looked up by URN or kind.
#[derive(Debug, Clone)]
pub struct SchemaRegistry {
    /// Fixed positions (User, EnterpriseUser, Group) let the per-kind lookups destructure
    /// instead of searching, so they cannot fail.
    schemas: [SchemaDef; 3],
    /// Fixed positions (User, Group), for the same reason.
    resource_types: [ResourceTypeDef; 2],
    common: Vec<AttributeDef>,
}

impl SchemaRegistry {
    /// User with the optional EnterpriseUser extension, and Group.
    pub fn standard() -> Self {
        Self {
            schemas: [user_schema(), enterprise_user_schema(), group_schema()],
            resource_types: [
                ResourceTypeDef {
                    kind: ResourceKind::User,
                    description: "User Account",
                    schema: USER_SCHEMA,
                    extensions: vec![SchemaExtension {
                        schema: ENTERPRISE_USER_SCHEMA,
                        required: false,
                    }],
                },
                ResourceTypeDef {
                    kind: ResourceKind::Group,
                    description: "Group",
                    schema: GROUP_SCHEMA,
                    extensions: Vec::new(),
                },
            ],
            common: common_attributes(),
        }
    }

    pub fn schemas(&self) -> &[SchemaDef] {
        &self.schemas
    }

    /// The schema with URN `id`; URNs compare case-insensitively (RFC 8141 §3.1 for the NID,
    /// and SCIM clients are lax about the rest).
    pub fn schema(&self, id: &str) -> Option<&SchemaDef> {
        self.schemas.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    pub fn resource_types(&self) -> &[ResourceTypeDef] {
        &self.resource_types
    }

    pub fn resource_type(&self, kind: ResourceKind) -> &ResourceTypeDef {
        let [user, group] = &self.resource_types;
        match kind {
            ResourceKind::User => user,
            ResourceKind::Group => group,
        }
    }

    pub fn resource_type_by_id(&self, id: &str) -> Option<&ResourceTypeDef> {
        self.resource_types
            .iter()
            .find(|rt| rt.id().eq_ignore_ascii_case(id))
    }

    pub fn core_schema(&self, kind: ResourceKind) -> &SchemaDef {
        let [user, _, group] = &self.schemas;
        match kind {
            ResourceKind::User => user,
            ResourceKind::Group => group,
        }
    }

    /// The extension schemas of `kind`, in the order the resource type lists them.
    pub fn extensions(&self, kind: ResourceKind) -> impl Iterator<Item = &SchemaDef> {
        self.resource_type(kind)
            .extensions
            .iter()
            .filter_map(|ext| self.schema(ext.schema))
    }

    /// `id`, `externalId` and `meta` (RFC 7643 §3.1), which every resource has but no schema lists.
    pub fn common_attributes(&self) -> &[AttributeDef] {
        &self.common
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_kind_lookups_match_the_kind() {
        let registry = SchemaRegistry::standard();
        for kind in ResourceKind::ALL {
            assert_eq!(registry.core_schema(kind).id, kind.core_schema());
            assert_eq!(registry.resource_type(kind).kind, kind);
            assert_eq!(registry.resource_type(kind).schema, kind.core_schema());
        }
    }

    #[test]
    fn lookups_ignore_case() {
        let registry = SchemaRegistry::standard();
        let urn = "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER";
        assert_eq!(registry.schema(urn).map(|s| s.id), Some(USER_SCHEMA));
        assert_eq!(
            registry.resource_type_by_id("group").map(|rt| rt.kind),
            Some(ResourceKind::Group)
        );
        assert!(registry.schema("urn:example:nope").is_none());
    }

    #[test]
    fn user_has_the_enterprise_extension_and_group_has_none() {
        let registry = SchemaRegistry::standard();
        let user_ext: Vec<_> = registry
            .extensions(ResourceKind::User)
            .map(|s| s.id)
            .collect();
        assert_eq!(user_ext, [ENTERPRISE_USER_SCHEMA]);
        assert_eq!(registry.extensions(ResourceKind::Group).count(), 0);
    }
}
