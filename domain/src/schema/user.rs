//! The core User schema, attribute for attribute as RFC 7643 §8.7.1 lists it (§4.1 explains them).

use super::attribute::{AttributeDef, AttributeType, Mutability, Returned, SchemaDef, Uniqueness};
use crate::schema::kind::USER_SCHEMA;

pub fn user_schema() -> SchemaDef {
    SchemaDef {
        id: USER_SCHEMA,
        name: "User",
        description: "User Account",
        attributes: vec![
            AttributeDef::string(
                "userName",
                "Unique identifier for the User, typically used by the user to directly \
                 authenticate to the service provider. REQUIRED.",
            )
            .required()
            .uniqueness(Uniqueness::Server),
            name(),
            AttributeDef::string(
                "displayName",
                "The name of the User, suitable for display to end-users.",
            ),
            AttributeDef::string(
                "nickName",
                "The casual way to address the user in real life, e.g., 'Bob' instead of 'Robert'.",
            ),
            AttributeDef::of_type(
                "profileUrl",
                AttributeType::Reference,
                "A fully qualified URL pointing to a page representing the User's online profile.",
            )
            .references(&["external"]),
            AttributeDef::string("title", "The user's title, such as \"Vice President.\""),
            AttributeDef::string(
                "userType",
                "Used to identify the relationship between the organization and the user, \
                 e.g. 'Contractor', 'Employee', 'Intern'.",
            ),
            AttributeDef::string(
                "preferredLanguage",
                "Indicates the User's preferred written or spoken language, e.g. 'en-US'.",
            ),
            AttributeDef::string(
                "locale",
                "Used to indicate the User's default location for purposes of localizing items \
                 such as currency, date time format, or numerical representations.",
            ),
            AttributeDef::string(
                "timezone",
                "The User's time zone in the 'Olson' time zone database format, e.g., \
                 'America/Los_Angeles'.",
            ),
            AttributeDef::of_type(
                "active",
                AttributeType::Boolean,
                "A Boolean value indicating the User's administrative status.",
            ),
            AttributeDef::string(
                "password",
                "The User's cleartext password, used to set an initial password or to reset it.",
            )
            .mutability(Mutability::WriteOnly)
            .returned(Returned::Never),
            plural(
                "emails",
                "Email addresses for the user. Canonical type values of 'work', 'home', and 'other'.",
                AttributeDef::string("value", "Email address for the User."),
                &["work", "home", "other"],
            ),
            plural(
                "phoneNumbers",
                "Phone numbers for the User, e.g. 'tel:+1-201-555-0123'.",
                AttributeDef::string("value", "Phone number of the User."),
                &["work", "home", "mobile", "fax", "pager", "other"],
            ),
            plural(
                "ims",
                "Instant messaging addresses for the User.",
                AttributeDef::string("value", "Instant messaging address for the User."),
                &["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"],
            ),
            plural(
                "photos",
                "URLs of photos of the User.",
                AttributeDef::of_type(
                    "value",
                    AttributeType::Reference,
                    "URL of a photo of the User.",
                )
                .references(&["external"]),
                &["photo", "thumbnail"],
            ),
            addresses(),
            groups(),
            plural(
                "entitlements",
                "A list of entitlements for the User that represent a thing the User has.",
                AttributeDef::string("value", "The value of an entitlement."),
                &[],
            ),
            plural(
                "roles",
                "A list of roles for the User that collectively represent who the User is, \
                 e.g., 'Student', 'Faculty'.",
                AttributeDef::string("value", "The value of a role."),
                &[],
            ),
            plural(
                "x509Certificates",
                "A list of certificates issued to the User.",
                AttributeDef::of_type(
                    "value",
                    AttributeType::Binary,
                    "The value of an X.509 certificate.",
                ),
                &[],
            ),
        ],
    }
}

fn name() -> AttributeDef {
    AttributeDef::complex(
        "name",
        "The components of the user's real name.",
        vec![
            AttributeDef::string(
                "formatted",
                "The full name, including all middle names, titles, and suffixes as \
                 appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III').",
            ),
            AttributeDef::string(
                "familyName",
                "The family name of the User, or last name in most Western languages.",
            ),
            AttributeDef::string(
                "givenName",
                "The given name of the User, or first name in most Western languages.",
            ),
            AttributeDef::string("middleName", "The middle name(s) of the User."),
            AttributeDef::string(
                "honorificPrefix",
                "The honorific prefix(es) of the User, or title in most Western languages.",
            ),
            AttributeDef::string(
                "honorificSuffix",
                "The honorific suffix(es) of the User, or suffix in most Western languages.",
            ),
        ],
    )
}

/// The value/display/type/primary shape shared by most multi-valued attributes (RFC 7643 §2.4).
fn plural(
    name: &'static str,
    description: &'static str,
    value: AttributeDef,
    types: &'static [&'static str],
) -> AttributeDef {
    AttributeDef::complex(
        name,
        description,
        vec![
            value,
            display(),
            AttributeDef::string("type", "A label indicating the attribute's function.")
                .canonical(types),
            primary(),
        ],
    )
    .multi()
}

fn display() -> AttributeDef {
    AttributeDef::string(
        "display",
        "A human-readable name, primarily used for display purposes.",
    )
}

fn primary() -> AttributeDef {
    AttributeDef::of_type(
        "primary",
        AttributeType::Boolean,
        "A Boolean value indicating the 'primary' or preferred attribute value for this \
         attribute. The primary attribute value 'true' MUST appear no more than once.",
    )
}

fn addresses() -> AttributeDef {
    AttributeDef::complex(
        "addresses",
        "A physical mailing address for this User. Canonical type values of 'work', 'home', \
         and 'other'.",
        vec![
            AttributeDef::string(
                "formatted",
                "The full mailing address, formatted for display or use with a mailing label.",
            ),
            AttributeDef::string(
                "streetAddress",
                "The full street address component, which may include house number, street \
                 name, P.O. box, and multi-line extended street address information.",
            ),
            AttributeDef::string("locality", "The city or locality component."),
            AttributeDef::string("region", "The state or region component."),
            AttributeDef::string("postalCode", "The zip code or postal code component."),
            AttributeDef::string("country", "The country name component."),
            AttributeDef::string("type", "A label indicating the attribute's function.")
                .canonical(&["work", "home", "other"]),
            primary(),
        ],
    )
    .multi()
}

/// Membership is written through the Group resource, so every part of it is readOnly here.
fn groups() -> AttributeDef {
    let read_only = |a: AttributeDef| a.mutability(Mutability::ReadOnly);
    read_only(
        AttributeDef::complex(
            "groups",
            "A list of groups to which the user belongs, either through direct membership, \
             through nested groups, or dynamically calculated.",
            vec![
                read_only(AttributeDef::string(
                    "value",
                    "The identifier of the User's group.",
                )),
                read_only(
                    AttributeDef::of_type(
                        "$ref",
                        AttributeType::Reference,
                        "The URI of the corresponding 'Group' resource to which the user belongs.",
                    )
                    .references(&["User", "Group"]),
                ),
                read_only(display()),
                read_only(
                    AttributeDef::string(
                        "type",
                        "A label indicating the attribute's function, e.g., 'direct' or \
                         'indirect'.",
                    )
                    .canonical(&["direct", "indirect"]),
                ),
            ],
        )
        .multi(),
    )
}
