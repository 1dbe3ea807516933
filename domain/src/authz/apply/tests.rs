use serde_json::{Map, Value, json};

use super::*;
use crate::authz::{Policy, VisibleRows};
use crate::filter::{ResolvedFilter, parse, resolve};
use crate::tenant::{TenantId, TenantSlug};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn grant() -> Grant {
    let registry = SchemaRegistry::standard();
    let policy = Policy::parse(
        json!({
            "userFilter": format!("{ENTERPRISE}:organization eq \"{{{{claims.org}}}}\""),
            "readable": ["userName", "name.givenName", format!("{ENTERPRISE}:organization")],
            "writable": ["userName", format!("{ENTERPRISE}:organization")],
        }),
        &registry,
    )
    .unwrap();
    let principal = Principal {
        tenant_id: TenantId(uuid::Uuid::now_v7()),
        tenant_slug: TenantSlug::parse("acme").unwrap(),
        subject: "sgc_0123abcd".into(),
        scopes: Vec::new(),
        claims: json!({"org": "a"}).as_object().unwrap().clone(),
        policy: Some(policy),
    };
    Grant::of(&principal, ResourceKind::User, &registry).unwrap()
}

fn doc(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

fn resolved(text: &str) -> ResolvedFilter {
    resolve(
        parse(text).unwrap(),
        &SchemaRegistry::standard(),
        ResourceKind::User,
    )
    .unwrap()
}

#[test]
fn restricting_a_query_hands_the_store_the_rows_and_keeps_the_client_filter() {
    let client = resolved("userName sw \"x\"");
    let mut query = ListQuery {
        start_index: 1,
        count: 10,
        filter: Some(client.clone()),
        sort: None,
        with_relations: false,
        cursor_token: None,
        cursor: None,
        rows: VisibleRows::default(),
    };
    let grant = grant();
    grant.restrict_query(&mut query).unwrap();
    assert_eq!(query.filter, Some(client));
    assert_eq!(query.rows.of(ResourceKind::User), grant.row_filter.as_ref());
    assert!(query.rows.users.is_some());
    assert!(query.rows.groups.is_none());
}

#[test]
fn filters_on_unreadable_attributes_are_forbidden() {
    let grant = grant();
    for text in [
        "title eq \"x\"",
        "userName pr or title pr",
        "name.familyName eq \"x\"",
        "emails[type eq \"work\"]",
    ] {
        let result = grant.check_filter_readable(&resolved(text));
        assert!(matches!(result, Err(DomainError::Forbidden(_))), "{text}");
    }
    for text in [
        "userName eq \"x\"",
        "name.givenName pr",
        "id pr",
        "meta.created pr",
    ] {
        assert!(
            grant.check_filter_readable(&resolved(text)).is_ok(),
            "{text}"
        );
    }
}

#[test]
fn redaction_keeps_readable_attributes_and_trims_sub_attributes() {
    let registry = SchemaRegistry::standard();
    let mut body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "id": "1",
        "meta": {"resourceType": "User"},
        "userName": "ada",
        "title": "Boss",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        ENTERPRISE: {"organization": "a", "department": "x"},
    });
    grant().redact(&mut body, &registry, ResourceKind::User);
    assert_eq!(
        body,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "id": "1",
            "meta": {"resourceType": "User"},
            "userName": "ada",
            "name": {"givenName": "Ada"},
            ENTERPRISE: {"organization": "a"},
        })
    );
}

#[test]
fn writes_outside_the_writable_set_are_forbidden() {
    let registry = SchemaRegistry::standard();
    let grant = grant();
    let before = doc(json!({"userName": "ada", "title": "Boss", ENTERPRISE: {"department": "x"}}));
    let ok = doc(
        json!({"userName": "bob", "title": "Boss", ENTERPRISE: {"department": "x", "organization": "a"}}),
    );
    assert!(
        grant
            .check_write(&before, &ok, false, &registry, ResourceKind::User)
            .is_ok()
    );
    for after in [
        json!({"userName": "ada", "title": "Other", ENTERPRISE: {"department": "x"}}),
        json!({"userName": "ada", "title": "Boss"}),
    ] {
        let result = grant.check_write(
            &before,
            &doc(after.clone()),
            false,
            &registry,
            ResourceKind::User,
        );
        assert!(matches!(result, Err(DomainError::Forbidden(_))), "{after}");
    }
    assert!(
        grant
            .check_write(&before, &before, true, &registry, ResourceKind::User)
            .is_err()
    );
}

#[test]
fn a_replace_keeps_unwritable_attributes_it_does_not_send() {
    let registry = SchemaRegistry::standard();
    let existing = doc(
        json!({"userName": "ada", "title": "Boss", ENTERPRISE: {"department": "x", "organization": "a"}}),
    );
    let mut input = doc(json!({"userName": "bob", ENTERPRISE: {"organization": "a"}}));
    grant().carry_unwritable(&existing, &mut input, &registry, ResourceKind::User);
    assert_eq!(
        Value::Object(input),
        json!({"userName": "bob", "title": "Boss", ENTERPRISE: {"department": "x", "organization": "a"}})
    );
}

#[test]
fn rows_are_evaluated_on_the_resource() {
    let registry = SchemaRegistry::standard();
    let grant = grant();
    let inside = json!({"id": "1", "userName": "a", ENTERPRISE: {"organization": "a"}});
    let outside = json!({"id": "2", "userName": "b", ENTERPRISE: {"organization": "b"}});
    assert!(grant.sees(&inside, &registry, ResourceKind::User));
    assert!(!grant.sees(&outside, &registry, ResourceKind::User));
}
