//! The core Group schema of RFC 7643 §4.2 (schema representation in §8.7.1).

use super::attribute::{AttributeDef, AttributeType, Mutability, SchemaDef};
use crate::schema::kind::GROUP_SCHEMA;

pub fn group_schema() -> SchemaDef {
    SchemaDef {
        id: GROUP_SCHEMA,
        name: "Group",
        description: "Group",
        attributes: vec![
            // §8.7.1 says optional, but §4.2 calls it REQUIRED; we follow the prose.
            AttributeDef::string(
                "displayName",
                "A human-readable name for the Group. REQUIRED.",
            )
            .required(),
            members(),
        ],
    }
}

/// A member is identified by `value`; a PUT replaces the set, but one member entry never
/// changes identity, hence the immutable sub-attributes.
fn members() -> AttributeDef {
    AttributeDef::complex(
        "members",
        "A list of members of the Group.",
        vec![
            AttributeDef::string("value", "Identifier of the member of this Group.")
                .required()
                .mutability(Mutability::Immutable),
            AttributeDef::of_type(
                "$ref",
                AttributeType::Reference,
                "The URI corresponding to a SCIM resource that is a member of this Group.",
            )
            .references(&["User", "Group"])
            .mutability(Mutability::Immutable),
            AttributeDef::string(
                "display",
                "A human-readable name, primarily used for display purposes.",
            )
            .mutability(Mutability::ReadOnly),
            AttributeDef::string(
                "type",
                "A label indicating the type of resource, e.g., 'User' or 'Group'.",
            )
            .canonical(&["User", "Group"])
            .mutability(Mutability::Immutable),
        ],
    )
    .multi()
}
