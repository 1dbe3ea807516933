//! The Enterprise User extension of RFC 7643 §4.3 (schema representation in §8.7.1).

use super::attribute::{AttributeDef, AttributeType, Mutability, SchemaDef};
use crate::schema::kind::ENTERPRISE_USER_SCHEMA;

pub fn enterprise_user_schema() -> SchemaDef {
    SchemaDef {
        id: ENTERPRISE_USER_SCHEMA,
        name: "EnterpriseUser",
        description: "Enterprise User",
        attributes: vec![
            AttributeDef::string(
                "employeeNumber",
                "Numeric or alphanumeric identifier assigned to a person, typically based on \
                 order of hire or association with an organization.",
            ),
            AttributeDef::string("costCenter", "Identifies the name of a cost center."),
            AttributeDef::string("organization", "Identifies the name of an organization."),
            AttributeDef::string("division", "Identifies the name of a division."),
            AttributeDef::string("department", "Identifies the name of a department."),
            AttributeDef::complex(
                "manager",
                "The User's manager. A complex type that optionally allows service providers \
                 to represent organizational hierarchy by referencing the 'id' attribute of \
                 another User.",
                vec![
                    AttributeDef::string(
                        "value",
                        "The id of the SCIM resource representing the User's manager.",
                    ),
                    AttributeDef::of_type(
                        "$ref",
                        AttributeType::Reference,
                        "The URI of the SCIM resource representing the User's manager.",
                    )
                    .references(&["User"]),
                    // The server fills it from the manager's own record; clients cannot set it.
                    AttributeDef::string("displayName", "The displayName of the User's manager.")
                        .mutability(Mutability::ReadOnly),
                ],
            ),
        ],
    }
}
