//! The common attributes of RFC 7643 §3.1: carried by every resource, part of no schema, so
//! `/Schemas` does not list them but validation and filtering must know them. The server
//! fills them, so how their values are spelled is decided here too: rendering writes them so,
//! and filter resolution reads literals so.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use uuid::Uuid;

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

/// The entity tag of a version, as `meta.version` and the `ETag` header carry it.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// The version an entity tag names: `W/"3"` as [`etag`] writes it, also `"3"` or `3`.
pub fn version_of(tag: &str) -> Option<i64> {
    let strong = tag.strip_prefix("W/").unwrap_or(tag);
    let number = strong
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(strong);
    number.parse().ok()
}

/// The resource `text` names as an `id`: only in the spelling ids are rendered in (lowercase,
/// hyphenated), as `id` is caseExact (RFC 7643 §3.1).
pub fn id_of(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text)
        .ok()
        .filter(|id| id.to_string() == text)
}

/// How finely `meta.created` and `meta.lastModified` are rendered. Both databases keep
/// microseconds, but a client, and the evaluator reading rendered resources, sees this.
pub const RENDERED_TIME_PRECISION: TimeDelta = TimeDelta::milliseconds(1);

/// `meta.created` or `meta.lastModified` as rendered: cut to [`RENDERED_TIME_PRECISION`].
pub fn rendered_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn id_of_takes_only_the_rendered_spelling() {
        let id = Uuid::now_v7();
        assert_eq!(id_of(&id.to_string()), Some(id));
        for other in [
            id.to_string().to_uppercase(),
            id.simple().to_string(),
            "ada".into(),
        ] {
            assert_eq!(id_of(&other), None, "{other}");
        }
    }

    #[test]
    fn version_of_reads_what_etag_writes_and_bare_numbers() {
        assert_eq!(version_of(&etag(42)), Some(42));
        for tag in ["W/\"7\"", "\"7\"", "7"] {
            assert_eq!(version_of(tag), Some(7), "{tag}");
        }
        for tag in ["W/7\"", "w/\"7\"", "v7", "", "W/\"\""] {
            assert_eq!(version_of(tag), None, "{tag}");
        }
    }

    #[test]
    fn rendered_times_carry_milliseconds() {
        let at = DateTime::parse_from_rfc3339("2011-05-13T04:42:34.123456Z").unwrap();
        assert_eq!(rendered_time(at.to_utc()), "2011-05-13T04:42:34.123Z");
    }
}
