#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::error::DomainError;
use crate::filter::{AttrPath, CompValue, Filter, canonical_path, parse, resolve};
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;

const USER: ResourceKind = ResourceKind::User;
const GROUP: ResourceKind = ResourceKind::Group;
const ID: &str = "0196f4b5-6a51-7c2e-9d1f-3b8a2c4d5e6f";

fn resolved(input: &str, kind: ResourceKind) -> Result<Filter, DomainError> {
    resolve(parse(input)?, &SchemaRegistry::standard(), kind).map(|f| f.into_inner())
}

fn accepted(kind: ResourceKind, inputs: &[&str]) {
    for input in inputs {
        if let Err(err) = resolved(input, kind) {
            panic!("{input}: refused: {err}");
        }
    }
}

/// Each input is an invalid filter whose detail is the expected one.
fn refused(kind: ResourceKind, cases: &[(&str, &str)]) {
    for (input, detail) in cases {
        match resolved(input, kind) {
            Err(DomainError::InvalidFilter(got)) => assert_eq!(got, *detail, "{input}"),
            other => panic!("{input}: expected an invalid filter, got {other:?}"),
        }
    }
}

/// The literal of a resolved `path op literal`, as resolution rewrote it.
fn literal(input: &str, kind: ResourceKind) -> CompValue {
    let filter = resolved(input, kind).unwrap();
    let compare = match filter {
        Filter::ValuePath { filter, .. } => *filter,
        other => other,
    };
    match compare {
        Filter::Compare { value, .. } => value,
        other => panic!("{input}: no comparison: {other:?}"),
    }
}

#[test]
fn id_and_version_take_only_equality() {
    accepted(
        USER,
        &[
            r#"id eq "x""#,
            r#"id ne "x""#,
            "id pr",
            "id eq null",
            r#"meta.version eq "W/\"1\"""#,
            r#"meta.version ne "1""#,
            "meta.version ne null",
        ],
    );
    refused(
        USER,
        &[
            (r#"id gt "a""#, "'gt' is not supported on id"),
            (r#"id co "a""#, "'co' is not supported on id"),
            (r#"id sw "0196""#, "'sw' is not supported on id"),
            (
                r#"meta.version ge "W/\"1\"""#,
                "'ge' is not supported on meta.version",
            ),
            (
                r#"meta.version ew "1\"""#,
                "'ew' is not supported on meta.version",
            ),
        ],
    );
}

#[test]
fn resource_type_takes_no_ordering_and_meta_itself_and_its_location_no_filter() {
    accepted(
        GROUP,
        &[
            r#"meta.resourceType eq "Group""#,
            r#"meta.resourceType sw "Gr""#,
            r#"meta.resourceType ne "User""#,
            r#"meta.created gt "2011-05-13T04:42:34Z""#,
            "meta.lastModified pr",
        ],
    );
    refused(
        GROUP,
        &[
            (
                r#"meta.resourceType gt "A""#,
                "'gt' is not supported on meta.resourceType",
            ),
            (
                r#"meta.resourceType le "Z""#,
                "'le' is not supported on meta.resourceType",
            ),
            ("meta.location pr", "meta.location cannot be filtered on"),
            (
                r#"meta.location eq "https://h/Groups/1""#,
                "meta.location cannot be filtered on",
            ),
            ("meta pr", "meta cannot be filtered on"),
            ("meta[created pr]", "meta cannot be filtered on"),
        ],
    );
}

#[test]
fn memberships_compare_their_value_and_a_member_type_for_equality_only() {
    accepted(
        GROUP,
        &[
            &format!(r#"members eq "{ID}""#),
            &format!(r#"members.value ne "{ID}""#),
            r#"members.type eq "user""#,
            &format!(r#"members[value eq "{ID}" and type eq "Group"]"#),
            r#"members[not (type ne "User")]"#,
            "members.$ref pr",
            "members[type eq null]",
            "members.$ref ne null",
        ],
    );
    refused(
        GROUP,
        &[
            (
                r#"members.display eq "Ada""#,
                "members.display cannot be filtered on",
            ),
            (
                "members.display pr",
                "members.display cannot be filtered on",
            ),
            (
                "members[display eq null]",
                "members.display cannot be filtered on",
            ),
            (
                r#"members.$ref eq "x""#,
                "'eq' is not supported on members.$ref",
            ),
            (
                r#"members.value co "0196""#,
                "'co' is not supported on members.value",
            ),
            (
                r#"members.type gt "User""#,
                "'gt' is not supported on members.type",
            ),
            (
                r#"members[display ne "Ada"]"#,
                "members.display cannot be filtered on",
            ),
            (
                r#"members[type eq "User" and value sw "0"]"#,
                "'sw' is not supported on members.value",
            ),
        ],
    );
    accepted(USER, &[&format!(r#"groups eq "{ID}""#), "groups.type pr"]);
    refused(
        USER,
        &[
            (
                r#"groups.type eq "direct""#,
                "'eq' is not supported on groups.type",
            ),
            (
                r#"groups[type eq "direct"]"#,
                "'eq' is not supported on groups.type",
            ),
            (
                r#"groups.display co "a""#,
                "groups.display cannot be filtered on",
            ),
            ("groups[display pr]", "groups.display cannot be filtered on"),
        ],
    );
}

#[test]
fn literals_take_the_spelling_the_resource_renders() {
    let upper = ID.to_uppercase();
    let id = CompValue::String(ID.into());
    // `id` is caseExact: its literal stays as written, and names nothing in capitals.
    assert_eq!(
        literal(&format!(r#"id eq "{upper}""#), USER),
        CompValue::String(upper.clone())
    );
    assert_eq!(
        literal(&format!(r#"members[value eq "{{{upper}}}"]"#), GROUP),
        id
    );
    assert_eq!(literal(&format!(r#"groups ne "{upper}""#), USER), id);
    let version = CompValue::String("W/\"3\"".into());
    for written in [r#""3""#, r#""\"3\"""#, r#""W/\"3\"""#] {
        assert_eq!(
            literal(&format!("meta.version eq {written}"), USER),
            version,
            "{written}"
        );
    }
    // What names nothing stays as written: it matches nothing on either path.
    for (input, kept) in [
        (r#"id eq "ada""#, "ada"),
        (r#"meta.version eq "v3""#, "v3"),
        (r#"meta.version eq "w/\"3\"""#, r#"w/"3""#),
    ] {
        assert_eq!(literal(input, USER), CompValue::String(kept.into()));
    }
}

#[test]
fn printed_resolved_filters_resolve_to_themselves() {
    for input in [
        format!(r#"members eq "{}""#, ID.to_uppercase()),
        r#"meta.version eq "4""#.to_owned(),
    ] {
        let once = resolved(&input, GROUP).unwrap();
        assert_eq!(resolved(&once.to_string(), GROUP).unwrap(), once, "{input}");
    }
}

#[test]
fn attribute_paths_outside_filters_may_name_meta_and_its_location() {
    let registry = SchemaRegistry::standard();
    for (raw, sub) in [("META", None), ("meta.LOCATION", Some("location"))] {
        let path = AttrPath {
            schema: None,
            attribute: raw.split('.').next().unwrap().into(),
            sub_attribute: raw.split('.').nth(1).map(str::to_owned),
        };
        let canonical = canonical_path(&path, &registry, USER).unwrap();
        assert_eq!(canonical.attribute, "meta");
        assert_eq!(canonical.sub_attribute.as_deref(), sub);
    }
}
