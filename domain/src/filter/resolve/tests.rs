use super::*;
use crate::filter::{CompValue, parse};
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};

fn resolved(input: &str, kind: ResourceKind) -> DomainResult<Filter> {
    resolve(parse(input)?, &SchemaRegistry::standard(), kind).map(ResolvedFilter::into_inner)
}

fn user(input: &str) -> Filter {
    resolved(input, ResourceKind::User).unwrap_or_else(|e| panic!("{input}: {e}"))
}

fn user_err(input: &str) -> String {
    match resolved(input, ResourceKind::User) {
        Err(DomainError::InvalidFilter(detail)) => detail,
        other => panic!("{input}: expected InvalidFilter, got {other:?}"),
    }
}

fn path(schema: Option<&str>, attribute: &str, sub: Option<&str>) -> AttrPath {
    AttrPath {
        schema: schema.map(str::to_owned),
        attribute: attribute.into(),
        sub_attribute: sub.map(str::to_owned),
    }
}

fn present(p: AttrPath) -> Filter {
    Filter::Present(p)
}

#[test]
fn names_become_canonical_and_carry_their_schema() {
    assert_eq!(
        user("USERNAME pr"),
        present(path(Some(USER_SCHEMA), "userName", None))
    );
    assert_eq!(
        user("name.GIVENNAME pr"),
        present(path(Some(USER_SCHEMA), "name", Some("givenName")))
    );
    assert_eq!(
        user("urn:ietf:params:scim:schemas:core:2.0:user:Name.familyName pr"),
        present(path(Some(USER_SCHEMA), "name", Some("familyName")))
    );
    assert_eq!(user("ID pr"), present(path(None, "id", None)));
    assert_eq!(
        user("meta.LASTMODIFIED pr"),
        present(path(None, "meta", Some("lastModified")))
    );
    assert_eq!(
        resolved("members.$REF pr", ResourceKind::Group).unwrap(),
        present(path(Some(GROUP_SCHEMA), "members", Some("$ref")))
    );
}

#[test]
fn extension_attributes_resolve_qualified_or_unqualified() {
    let department = present(path(Some(ENTERPRISE_USER_SCHEMA), "department", None));
    assert_eq!(
        user("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr"),
        department
    );
    assert_eq!(user("Department pr"), department);
    assert_eq!(
        user("manager.value pr"),
        present(path(Some(ENTERPRISE_USER_SCHEMA), "manager", Some("value")))
    );
}

#[test]
fn lookup_reports_the_leaf_definition() {
    let registry = SchemaRegistry::standard();
    let found = lookup(
        &registry,
        ResourceKind::User,
        &AttrPath::with_sub("emails", "type"),
    )
    .unwrap();
    assert_eq!(found.schema, Some(USER_SCHEMA));
    assert_eq!(found.attribute.name, "emails");
    assert_eq!(found.leaf().name, "type");
    let id = lookup(&registry, ResourceKind::Group, &AttrPath::simple("id")).unwrap();
    assert_eq!((id.schema, id.leaf().name), (None, "id"));
}

#[test]
fn value_paths_resolve_inner_names_against_the_complex_attribute() {
    assert_eq!(
        user(r#"EMAILS[TYPE eq "work" and Value co "@x"]"#),
        Filter::ValuePath {
            path: path(Some(USER_SCHEMA), "emails", None),
            filter: Box::new(Filter::And(
                Box::new(Filter::Compare {
                    path: AttrPath::simple("type"),
                    op: CompareOp::Eq,
                    value: CompValue::String("work".into()),
                }),
                Box::new(Filter::Compare {
                    path: AttrPath::simple("value"),
                    op: CompareOp::Co,
                    value: CompValue::String("@x".into()),
                }),
            )),
        }
    );
}

#[test]
fn comparing_a_complex_attribute_means_comparing_its_value() {
    assert_eq!(
        user(r#"emails co "example.com""#),
        user(r#"emails.value co "example.com""#)
    );
    assert!(user_err(r#"name eq "x""#).contains("'name' is a complex attribute without a 'value'"));
}

#[test]
fn unknown_and_misused_attributes_are_invalid_filters() {
    let cases = [
        ("foo pr", "unknown attribute 'foo'"),
        (r#"emails.foo eq "x""#, "unknown attribute 'emails.foo'"),
        ("userName.x pr", "unknown attribute 'userName.x'"),
        (
            "urn:example:nope:userName pr",
            "unknown attribute 'urn:example:nope:userName'",
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:Group:displayName pr",
            "unknown attribute",
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName pr",
            "unknown attribute",
        ),
        (r#"emails[foo eq "x"]"#, "unknown attribute 'emails.foo'"),
        (
            r#"emails[value.x eq "x"]"#,
            "unknown attribute 'emails.value.x'",
        ),
        (
            r#"emails[type eq "w"].bar eq "x""#,
            "unknown attribute 'emails.bar'",
        ),
        (r#"userName[value eq "x"]"#, "takes no '[...]' filter"),
        (r#"name.givenName[value eq "x"]"#, "takes no '[...]' filter"),
        (
            "active gt true",
            "'gt' cannot be used on 'active', a boolean attribute",
        ),
        (r#"emails[primary le false]"#, "a boolean attribute"),
        (r#"x509Certificates lt "x""#, "a binary attribute"),
    ];
    for (input, expected) in cases {
        let detail = user_err(input);
        assert!(detail.contains(expected), "{input}: {detail:?}");
    }
}

#[test]
fn attributes_belong_to_the_resource_kind() {
    assert!(resolved("members pr", ResourceKind::User).is_err());
    assert!(resolved("department pr", ResourceKind::Group).is_err());
    assert!(resolved("displayName pr", ResourceKind::Group).is_ok());
}

#[test]
fn nested_value_paths_built_by_hand_are_refused() {
    let inner = Filter::ValuePath {
        path: AttrPath::simple("value"),
        filter: Box::new(Filter::Present(AttrPath::simple("value"))),
    };
    let outer = Filter::ValuePath {
        path: AttrPath::simple("emails"),
        filter: Box::new(inner),
    };
    let registry = SchemaRegistry::standard();
    assert!(matches!(
        resolve(outer, &registry, ResourceKind::User),
        Err(DomainError::InvalidFilter(_))
    ));
}

#[test]
fn resolving_twice_changes_nothing() {
    for input in [
        r#"userName eq "x" and (emails co "y" or not (meta.created gt "2020-01-01T00:00:00Z"))"#,
        r#"emails[type eq "work"].value eq "x" or department pr or id eq "1""#,
    ] {
        let once = user(input);
        let twice = resolve(
            once.clone(),
            &SchemaRegistry::standard(),
            ResourceKind::User,
        );
        assert_eq!(twice.unwrap().into_inner(), once, "{input}");
    }
}
