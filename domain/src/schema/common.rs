//! The common attributes of RFC 7643 §3.1: carried by every resource, part of no schema, so
//! `/Schemas` does not list them but validation and filtering must know them.

use super::attribute::{AttributeDef, AttributeType, Mutability, Returned, Uniqueness};

pub fn common_attributes() -> Vec<AttributeDef> {
    vec![
        AttributeDef::string(
            "id",
            "A unique identifier for a SCIM resource as defined by the service provider.",
        )
        .case_exact()
        .mutability(Mutability::ReadOnly)
        .returned(Returned::Always)
        .uniqueness(Uniqueness::Server),
        AttributeDef::string(
            "externalId",
            "A String that is an identifier for the resource as defined by the provisioning client.",
        )
        .case_exact(),
        meta(),
    ]
}

fn meta() -> AttributeDef {
    let read_only = |a: AttributeDef| a.mutability(Mutability::ReadOnly);
    read_only(AttributeDef::complex(
        "meta",
        "A complex attribute containing resource metadata.",
        vec![
            read_only(
                AttributeDef::string(
                    "resourceType",
                    "The name of the resource type of the resource.",
                )
                .case_exact(),
            ),
            read_only(AttributeDef::of_type(
                "created",
                AttributeType::DateTime,
                "The DateTime that the resource was added to the service provider.",
            )),
            read_only(AttributeDef::of_type(
                "lastModified",
                AttributeType::DateTime,
                "The most recent DateTime that the details of this resource were updated.",
            )),
            read_only(
                AttributeDef::of_type(
                    "location",
                    AttributeType::Reference,
                    "The URI of the resource being returned.",
                )
                .case_exact()
                .references(&["uri"]),
            ),
            read_only(
                AttributeDef::string("version", "The version of the resource being returned.")
                    .case_exact(),
            ),
        ],
    ))
}
