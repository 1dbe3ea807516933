use serde_json::json;

use super::*;
use crate::filter::{parse, resolve};

fn bjensen() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "BJ-1",
        "userName": "BJensen",
        "name": { "familyName": "Jensen", "givenName": "Barbara" },
        "title": "Tour Guide",
        "userType": "Employee",
        "active": true,
        "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home" }
        ],
        "ims": [ { "value": "bjensen@foo.com", "type": "xmpp" } ],
        "nickName": "",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "Tour Operations",
            "manager": { "value": "26118915-6090-4610-87e4-49d8ca9f808d" }
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22.000Z",
            "lastModified": "2011-05-13T04:42:34.000Z",
            "version": "W/\"3\""
        }
    })
}

/// A user with almost nothing set.
fn minimal() -> Value {
    json!({ "id": "x1", "userName": "jsmith", "emails": [], "title": null })
}

fn check(input: &str, resource: &Value) -> bool {
    let registry = SchemaRegistry::standard();
    let filter = parse(input).and_then(|f| resolve(f, &registry, ResourceKind::User));
    let filter = filter.unwrap_or_else(|e| panic!("{input}: {e}"));
    matches(&filter, resource, &registry, ResourceKind::User)
}

fn assert_matches(resource: &Value, expected: bool, filters: &[&str]) {
    for input in filters {
        assert_eq!(check(input, resource), expected, "{input}");
    }
}

#[test]
fn rfc_examples_evaluate_as_expected_on_bjensen() {
    assert_matches(
        &bjensen(),
        true,
        &[
            r#"userName eq "bjensen""#,
            r#"name.familyName co "ens""#,
            r#"userName sw "J" or userName sw "b""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "B""#,
            "title pr",
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified lt "2011-05-13T04:42:35Z""#,
            r#"title pr and userType eq "Employee""#,
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        ],
    );
    assert_matches(
        &bjensen(),
        false,
        &[
            r#"userName sw "J""#,
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
        ],
    );
}

#[test]
fn case_exact_attributes_compare_exactly_and_others_ignore_case() {
    let user = bjensen();
    assert_matches(
        &user,
        true,
        &[
            r#"userName eq "BJENSEN""#,
            r#"id eq "2819c223-7f76-453a-919d-413861904646""#,
            r#"externalId eq "BJ-1""#,
            r#"department eq "tour operations""#,
        ],
    );
    assert_matches(
        &user,
        false,
        &[
            r#"id eq "2819C223-7F76-453A-919D-413861904646""#,
            r#"externalId eq "bj-1""#,
            r#"meta.resourceType eq "user""#,
        ],
    );
}

#[test]
fn multi_valued_attributes_match_when_any_value_does() {
    let user = bjensen();
    assert_matches(
        &user,
        true,
        &[
            r#"emails.type eq "home""#,
            r#"emails.type eq "work""#,
            r#"emails ew ".org""#,
            r#"emails.primary eq true"#,
        ],
    );
    assert_matches(&user, false, &[r#"emails.type eq "other""#]);
}

#[test]
fn value_paths_need_one_element_matching_the_whole_bracket() {
    let user = bjensen();
    assert_matches(
        &user,
        true,
        &[
            r#"emails[type eq "home" and value ew "jensen.org"]"#,
            r#"emails[type eq "work"].value eq "BJensen@Example.com""#,
            r#"emails[not (primary pr)]"#,
        ],
    );
    // Both conditions hold, but on different emails.
    assert_matches(
        &user,
        false,
        &[
            r#"emails[type eq "home" and value co "example.com"]"#,
            r#"emails[type eq "home"].primary eq true"#,
            r#"addresses[type eq "work"]"#,
        ],
    );
}

#[test]
fn extension_and_common_attributes_are_found_where_clients_see_them() {
    let user = bjensen();
    assert_matches(
        &user,
        true,
        &[
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw "Tour""#,
            "manager.value pr",
            r#"meta.created lt "2011-01-01T00:00:00+01:00""#,
            r#"meta.version eq "W/\"3\"""#,
        ],
    );
    assert_matches(
        &user,
        false,
        &["employeeNumber pr", "manager.displayName pr"],
    );
}

#[test]
fn present_means_a_non_empty_value() {
    let user = minimal();
    assert_matches(&user, true, &["userName pr", "id pr"]);
    assert_matches(
        &user,
        false,
        &["title pr", "emails pr", "name pr", "nickName pr"],
    );
    assert_matches(&bjensen(), false, &["nickName pr"]);
    assert_matches(&bjensen(), true, &["emails pr", "name pr", "active pr"]);
}

#[test]
fn null_means_absent_and_ne_is_not_eq() {
    let user = minimal();
    assert_matches(
        &user,
        true,
        &[
            "title eq null",
            "emails eq null",
            "userName ne null",
            r#"title ne "x""#,
            r#"emails.type ne "work""#,
            r#"not (title eq "x")"#,
        ],
    );
    assert_matches(
        &user,
        false,
        &[
            "userName eq null",
            "title ne null",
            r#"title eq "x""#,
            r#"title co """#,
            r#"title lt "z""#,
        ],
    );
    // `ne` on a multi-valued attribute: no value may equal.
    assert_matches(&bjensen(), false, &[r#"emails.type ne "work""#]);
    assert_matches(&bjensen(), true, &[r#"emails.type ne "other""#]);
}

#[test]
fn booleans_compare_with_booleans_quoted_or_not() {
    let user = bjensen();
    assert_matches(
        &user,
        true,
        &[
            "active eq true",
            "active ne false",
            r#"active eq "true""#,
            r#"active eq "True""#,
            r#"emails[primary eq "TRUE"]"#,
        ],
    );
    assert_matches(
        &user,
        false,
        &[
            "active eq false",
            r#"active eq "False""#,
            r#"active eq "yes""#,
        ],
    );
}

#[test]
fn literals_of_another_type_are_invalid_filters() {
    let registry = SchemaRegistry::standard();
    for input in [
        "userName eq 1",
        "title eq true",
        "meta.lastModified gt 5",
        r#"meta.lastModified eq "yesterday""#,
        "title gt null",
        r#"active co "t""#,
    ] {
        let resolved = parse(input).and_then(|f| resolve(f, &registry, ResourceKind::User));
        assert!(
            matches!(resolved, Err(crate::error::DomainError::InvalidFilter(_))),
            "{input}: {resolved:?}"
        );
    }
}
