use serde_json::json;

use super::*;

const ORG: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization";

fn policy() -> Policy {
    Policy::parse(
        json!({"userFilter": format!("{ORG} eq \"{{{{claims.org}}}}\"")}),
        &SchemaRegistry::standard(),
    )
    .unwrap()
}

fn claims(value: serde_json::Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

#[test]
fn placeholders_are_filled_with_json_escaped_claims() {
    let registry = SchemaRegistry::standard();
    let filter = policy()
        .row_filter(
            ResourceKind::User,
            &claims(json!({"org": "a\" or userName pr or \""})),
            &registry,
        )
        .unwrap()
        .unwrap();
    // One comparison: the quote in the claim cannot close the string literal.
    let Filter::Compare { value, .. } = filter.clone().into_inner() else {
        panic!("expected one comparison, got {filter:?}")
    };
    assert_eq!(
        value,
        crate::filter::CompValue::String("a\" or userName pr or \"".into())
    );
}

#[test]
fn a_missing_claim_is_forbidden_not_unfiltered() {
    let result = policy().row_filter(
        ResourceKind::User,
        &claims(json!({"team": "x"})),
        &SchemaRegistry::standard(),
    );
    assert!(matches!(result, Err(DomainError::Forbidden(_))));
}

#[test]
fn a_kind_without_a_filter_is_unrestricted() {
    let filter = policy()
        .row_filter(
            ResourceKind::Group,
            &claims(json!({"org": "a"})),
            &SchemaRegistry::standard(),
        )
        .unwrap();
    assert!(filter.is_none());
}

#[test]
fn invalid_policies_are_refused() {
    let registry = SchemaRegistry::standard();
    for bad in [
        json!({"userFilter": "shoeSize eq \"x\""}),
        json!({"userFilter": "userName eq \"{{org}}\""}),
        json!({"userFilter": "userName eq \"{{claims.org\""}),
        json!({"readable": ["shoeSize"]}),
        json!({"rowFilter": "userName pr"}),
        json!(["userName"]),
    ] {
        assert!(Policy::parse(bad.clone(), &registry).is_err(), "{bad}");
    }
}

#[test]
fn me_narrows_the_user_rows_to_the_callers_own_user() {
    const EXTENSION: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let registry = SchemaRegistry::standard();
    let mut policy = policy();
    assert!(policy.narrowed_to_me().is_none());
    policy.me_filter = Some("userName eq \"{{claims.user}}\"".into());

    let narrowed = policy.narrowed_to_me().unwrap();
    let filter = narrowed
        .row_filter(
            ResourceKind::User,
            &claims(json!({"org": "a", "user": "alice"})),
            &registry,
        )
        .unwrap()
        .unwrap();

    let sees = |name: &str, org: &str| {
        let user = json!({"userName": name, EXTENSION: {"organization": org}});
        crate::filter::matches(&filter, &user, &registry, ResourceKind::User)
    };
    assert!(sees("alice", "a"));
    assert!(!sees("alice", "b"), "the rows still apply");
    assert!(!sees("bob", "a"), "only the caller's own user");
}

#[test]
fn a_placeholder_compared_with_a_date_time_validates_and_is_typed_per_request() {
    let registry = SchemaRegistry::standard();
    let policy = Policy::parse(
        json!({"userFilter": "meta.lastModified gt \"{{claims.since}}\" and active eq \"{{claims.active}}\""}),
        &registry,
    )
    .unwrap();
    let filter = policy
        .row_filter(
            ResourceKind::User,
            &claims(json!({"since": "2026-01-01T00:00:00Z", "active": "True"})),
            &registry,
        )
        .unwrap()
        .unwrap();
    assert!(filter.to_string().ends_with("active eq true"), "{filter}");
}
