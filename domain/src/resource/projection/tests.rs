use serde_json::{Value, json};

use super::*;
use crate::error::DomainError;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
use crate::schema::{AttributeDef, Returned};

const ENTERPRISE_DEPARTMENT: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

fn projection(attributes: Option<&str>, excluded: Option<&str>, kind: ResourceKind) -> Projection {
    Projection::parse(attributes, excluded, &SchemaRegistry::standard(), kind)
        .unwrap_or_else(|e| panic!("{attributes:?} / {excluded:?}: {e}"))
}

fn user() -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "id": "2819c223",
        "externalId": "ext-1",
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@example.org", "type": "home"},
            {"type": "other"}
        ],
        ENTERPRISE_USER_SCHEMA: {
            "department": "Tour Operations",
            "manager": {"value": "26118915", "displayName": "John Smith"}
        },
        "groups": [{"value": "e9e30dba", "display": "Tour Guides", "type": "direct"}],
        "meta": {"resourceType": "User", "lastModified": "2024-01-01T00:00:00.000Z"}
    })
}

fn group() -> Value {
    json!({
        "schemas": [GROUP_SCHEMA],
        "id": "e9e30dba",
        "displayName": "Tour Guides",
        "members": [{"value": "2819c223", "type": "User", "display": "bjensen"}],
        "meta": {"resourceType": "Group"}
    })
}

fn projected(resource: Value, kind: ResourceKind, p: &Projection) -> Value {
    let mut resource = resource;
    p.apply(&mut resource, &SchemaRegistry::standard(), kind);
    resource
}

fn user_with(attributes: Option<&str>, excluded: Option<&str>) -> Value {
    let p = projection(attributes, excluded, ResourceKind::User);
    projected(user(), ResourceKind::User, &p)
}

fn keys(resource: &Value) -> Vec<&str> {
    resource
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn includes(p: &Projection, attribute: &str, kind: ResourceKind) -> bool {
    p.includes(attribute, &SchemaRegistry::standard(), kind)
}

#[test]
fn no_parameters_keep_everything_and_are_default() {
    let p = projection(None, None, ResourceKind::User);
    assert!(p.is_default());
    assert_eq!(projected(user(), ResourceKind::User, &p), user());
    assert!(includes(&p, "groups", ResourceKind::User));
}

#[test]
fn attributes_user_name_keeps_only_schemas_id_and_user_name() {
    let out = user_with(Some("userName"), None);
    assert_eq!(
        out,
        json!({"schemas": [USER_SCHEMA], "id": "2819c223", "userName": "bjensen"})
    );
}

#[test]
fn attributes_sub_attribute_keeps_parent_with_only_that_sub() {
    let out = user_with(Some("name.givenName"), None);
    assert_eq!(out["name"], json!({"givenName": "Barbara"}));
    assert_eq!(keys(&out), ["schemas", "id", "name"]);
}

#[test]
fn attributes_multi_valued_sub_attribute_reduces_every_element_and_drops_empty_ones() {
    let out = user_with(Some("emails.value"), None);
    assert_eq!(
        out["emails"],
        json!([{"value": "bjensen@example.com"}, {"value": "babs@example.org"}])
    );
}

#[test]
fn attributes_sub_attribute_that_no_element_has_removes_the_attribute() {
    let mut resource = user();
    resource["emails"] = json!([{"type": "work"}]);
    let p = projection(Some("emails.value"), None, ResourceKind::User);
    let out = projected(resource, ResourceKind::User, &p);
    assert!(out.get("emails").is_none());
}

#[test]
fn attributes_complex_attribute_keeps_all_its_sub_attributes() {
    let out = user_with(Some("emails"), None);
    assert_eq!(out["emails"], user()["emails"]);
}

#[test]
fn attributes_extension_attribute_keeps_just_it_inside_the_extension() {
    let out = user_with(Some(ENTERPRISE_DEPARTMENT), None);
    assert_eq!(
        out,
        json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
            "id": "2819c223",
            ENTERPRISE_USER_SCHEMA: {"department": "Tour Operations"}
        })
    );
}

#[test]
fn attributes_unqualified_extension_attribute_is_found_in_the_extension() {
    let out = user_with(Some("department"), None);
    assert_eq!(
        out[ENTERPRISE_USER_SCHEMA],
        json!({"department": "Tour Operations"})
    );
}

#[test]
fn attributes_extension_urn_keeps_the_whole_extension() {
    let out = user_with(Some(&format!("userName, {ENTERPRISE_USER_SCHEMA}")), None);
    assert_eq!(out[ENTERPRISE_USER_SCHEMA], user()[ENTERPRISE_USER_SCHEMA]);
    assert_eq!(out["userName"], "bjensen");
    assert_eq!(out["schemas"], json!([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]));
}

#[test]
fn attributes_drop_meta_unless_listed() {
    assert!(user_with(Some("userName"), None).get("meta").is_none());
    let out = user_with(Some("meta"), None);
    assert_eq!(out["meta"], user()["meta"]);
    let out = user_with(Some("meta.lastModified"), None);
    assert_eq!(
        out["meta"],
        json!({"lastModified": "2024-01-01T00:00:00.000Z"})
    );
}

#[test]
fn excluded_attributes_remove_emails_and_name() {
    let out = user_with(None, Some("emails, name"));
    let mut expected = user();
    if let Some(o) = expected.as_object_mut() {
        o.remove("emails");
        o.remove("name");
    }
    assert_eq!(out, expected);
}

#[test]
fn excluded_id_has_no_effect() {
    let p = projection(None, Some("id"), ResourceKind::User);
    assert_eq!(projected(user(), ResourceKind::User, &p), user());
    assert!(includes(&p, "id", ResourceKind::User));
}

#[test]
fn excluded_sub_attribute_removes_it_and_emptied_elements() {
    let out = user_with(None, Some("emails.type"));
    assert_eq!(
        out["emails"],
        json!([
            {"value": "bjensen@example.com", "primary": true},
            {"value": "babs@example.org"}
        ])
    );
}

#[test]
fn excluded_members_removes_them_and_are_not_included() {
    let p = projection(None, Some("members"), ResourceKind::Group);
    let out = projected(group(), ResourceKind::Group, &p);
    assert!(out.get("members").is_none());
    assert_eq!(out["displayName"], "Tour Guides");
    assert!(!includes(&p, "members", ResourceKind::Group));
    assert!(includes(&p, "displayName", ResourceKind::Group));
}

#[test]
fn attributes_display_name_on_a_group_does_not_include_members() {
    let p = projection(Some("displayName"), None, ResourceKind::Group);
    assert!(!includes(&p, "members", ResourceKind::Group));
    let out = projected(group(), ResourceKind::Group, &p);
    assert_eq!(
        out,
        json!({"schemas": [GROUP_SCHEMA], "id": "e9e30dba", "displayName": "Tour Guides"})
    );
}

#[test]
fn attributes_members_sub_attribute_includes_members() {
    let p = projection(Some("members.value"), None, ResourceKind::Group);
    assert!(includes(&p, "members", ResourceKind::Group));
    let out = projected(group(), ResourceKind::Group, &p);
    assert_eq!(out["members"], json!([{"value": "2819c223"}]));
}

#[test]
fn password_is_never_returned_even_if_listed() {
    let mut resource = user();
    resource["password"] = json!("t1meMa$heen");
    let listed = projection(Some("userName,password"), None, ResourceKind::User);
    let out = projected(resource.clone(), ResourceKind::User, &listed);
    assert!(out.get("password").is_none());
    assert!(!includes(&listed, "password", ResourceKind::User));
    let default = projection(None, None, ResourceKind::User);
    assert!(
        projected(resource, ResourceKind::User, &default)
            .get("password")
            .is_none()
    );
}

#[test]
fn unknown_names_are_ignored() {
    let out = user_with(Some("userName,members,nickNam,urn:example:x:foo"), None);
    assert_eq!(keys(&out), ["schemas", "id", "userName"]);
    let p = projection(None, Some("members,bogus.sub"), ResourceKind::User);
    assert!(p.is_default());
    // Another kind's extension URN is a schema this kind does not have.
    let p = projection(Some(ENTERPRISE_USER_SCHEMA), None, ResourceKind::Group);
    assert_eq!(
        projected(group(), ResourceKind::Group, &p),
        json!({"schemas": [GROUP_SCHEMA], "id": "e9e30dba"})
    );
}

#[test]
fn malformed_names_are_invalid_query() {
    let registry = SchemaRegistry::standard();
    for bad in [
        "emails[",
        "a b",
        "userName pr or id",
        "name.given.name",
        "1st",
        "\"x\"",
    ] {
        for (attributes, excluded) in [(Some(bad), None), (None, Some(bad))] {
            match Projection::parse(attributes, excluded, &registry, ResourceKind::User) {
                Err(DomainError::InvalidQuery(detail)) => assert!(detail.contains(bad), "{detail}"),
                other => panic!("{bad}: expected InvalidQuery, got {other:?}"),
            }
        }
    }
}

#[test]
fn names_match_case_insensitively() {
    let urn = ENTERPRISE_DEPARTMENT.to_uppercase();
    let out = user_with(Some(&format!("USERNAME, Name.GivenName ,{urn}")), None);
    assert_eq!(out["userName"], "bjensen");
    assert_eq!(out["name"], json!({"givenName": "Barbara"}));
    assert_eq!(
        out[ENTERPRISE_USER_SCHEMA],
        json!({"department": "Tour Operations"})
    );
}

#[test]
fn empty_entries_and_whitespace_are_ignored() {
    let out = user_with(Some(" , userName ,,"), None);
    assert_eq!(keys(&out), ["schemas", "id", "userName"]);
    let p = projection(Some(" , "), None, ResourceKind::User);
    assert!(p.is_default());
}

#[test]
fn attributes_win_over_excluded_attributes() {
    let out = user_with(Some("userName"), Some("userName"));
    assert_eq!(out["userName"], "bjensen");
}

#[test]
fn schemas_drop_an_extension_that_was_excluded() {
    let out = user_with(None, Some(ENTERPRISE_USER_SCHEMA));
    assert!(out.get(ENTERPRISE_USER_SCHEMA).is_none());
    assert_eq!(out["schemas"], json!([USER_SCHEMA]));
}

#[test]
fn schemas_drop_an_extension_whose_every_attribute_was_excluded() {
    let out = user_with(None, Some("department,manager"));
    assert!(out.get(ENTERPRISE_USER_SCHEMA).is_none());
    assert_eq!(out["schemas"], json!([USER_SCHEMA]));
}

#[test]
fn schemas_drop_an_extension_not_listed_in_attributes() {
    let out = user_with(Some("userName"), None);
    assert_eq!(out["schemas"], json!([USER_SCHEMA]));
}

#[test]
fn includes_groups_follows_the_user_projection() {
    let registry = SchemaRegistry::standard();
    let listed = |attributes| projection(Some(attributes), None, ResourceKind::User);
    assert!(!includes(&listed("userName"), "groups", ResourceKind::User));
    assert!(includes(
        &listed("groups.display"),
        "groups",
        ResourceKind::User
    ));
    let whole = listed(ENTERPRISE_USER_SCHEMA);
    assert!(whole.includes(ENTERPRISE_USER_SCHEMA, &registry, ResourceKind::User));
    assert!(!whole.includes("groups", &registry, ResourceKind::User));
}

#[test]
fn returned_request_attributes_appear_only_when_listed() {
    let def = AttributeDef::string("secretQuestion", "").returned(Returned::Request);
    let listed = Selector::Path {
        schema: Some(USER_SCHEMA),
        attribute: "secretQuestion",
        sub: None,
    };
    let schema = Some(USER_SCHEMA);
    assert!(!Mode::Default.keeps(schema, Some(&def)));
    assert!(Mode::Only(vec![listed.clone()]).keeps(schema, Some(&def)));
    assert!(!Mode::Only(vec![Selector::Schema(USER_SCHEMA)]).keeps(schema, Some(&def)));
    assert!(!Mode::Exclude(vec![listed]).keeps(schema, Some(&def)));
}

#[test]
fn returned_request_sub_attributes_appear_only_when_listed() {
    let sub = AttributeDef::string("hint", "").returned(Returned::Request);
    let parent = AttributeDef::complex("question", "", vec![sub.clone()]);
    let schema = Some(USER_SCHEMA);
    let whole = Mode::Only(vec![Selector::Path {
        schema,
        attribute: "question",
        sub: None,
    }]);
    let named = Mode::Only(vec![Selector::Path {
        schema,
        attribute: "question",
        sub: Some("hint"),
    }]);
    assert!(!Mode::Default.keeps_sub(schema, &parent, "hint", Some(&sub)));
    assert!(!whole.keeps_sub(schema, &parent, "hint", Some(&sub)));
    assert!(named.keeps_sub(schema, &parent, "hint", Some(&sub)));
}
