//! A partner's policy applied by the service: it lists and reads only the rows of its `org`
//! claim and only its readable attributes, writes only its writable ones (403, no
//! `scimType`), cannot create outside its rows, and needs the scope before any of it.

use serde_json::json;

use super::fixture::{Fixture, member_of, named, org_user, partner_policy, refusal};
use crate::context::RequestContext;
use crate::query::list::ListParams;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, ResourceKind};
use crate::scope::Scope;
use crate::service::scim::resources::ViewParams;

fn partner(fx: &Fixture) -> RequestContext {
    fx.caller(
        &[Scope::Read, Scope::Write],
        Some(partner_policy()),
        json!({"org": "partner-a"}),
    )
}

#[tokio::test]
async fn a_partner_lists_and_reads_only_its_rows_and_readable_attributes() {
    // Arrange
    let fx = Fixture::new();
    let mine = fx.add_user(org_user("a1", "partner-a")).await;
    let theirs = fx.add_user(org_user("b1", "partner-b")).await;
    let view = ViewParams::default();

    // Act
    let listed = fx
        .service
        .list(&partner(&fx), ResourceKind::User, &ListParams::default())
        .await
        .unwrap();
    let read = fx
        .service
        .get(&partner(&fx), ResourceKind::User, &mine, &view)
        .await
        .unwrap();
    let hidden = fx
        .service
        .get(&partner(&fx), ResourceKind::User, &theirs, &view)
        .await;

    // Assert
    assert_eq!(listed.total_results, 1);
    assert_eq!(listed.resources[0]["id"], mine.as_str());
    for body in [&listed.resources[0], &read.body] {
        assert_eq!(body["userName"], "a1");
        assert!(body.get("title").is_none(), "{body}");
        assert_eq!(body[ENTERPRISE_USER_SCHEMA]["organization"], "partner-a");
        assert!(
            body[ENTERPRISE_USER_SCHEMA].get("department").is_none(),
            "{body}"
        );
    }
    assert_eq!(
        refusal(hidden),
        (404, None),
        "outside the rows is as absent as missing"
    );
}

#[tokio::test]
async fn a_partner_writing_an_unwritable_attribute_is_403_and_nothing_changes() {
    // Arrange
    let fx = Fixture::new();
    let mine = fx.add_user(org_user("a1", "partner-a")).await;
    let title = json!([{"op": "replace", "path": "title", "value": "Boss"}]);
    let rename = json!([{"op": "replace", "path": "userName", "value": "a2"}]);

    // Act
    let refused = fx.patch(&partner(&fx), &mine, title, None).await;
    let allowed = fx.patch(&partner(&fx), &mine, rename, None).await;

    // Assert
    assert_eq!(refusal(refused), (403, None));
    assert!(allowed.is_ok());
    let stored = fx.stored(&mine);
    assert_eq!(stored["title"], "Engineer");
    assert_eq!(stored["userName"], "a2");
}

#[tokio::test]
async fn a_partner_creates_only_inside_its_rows_and_filters_only_on_readable_attributes() {
    // Arrange
    let fx = Fixture::new();
    let unreadable = ListParams {
        filter: Some("title eq \"Engineer\"".into()),
        ..ListParams::default()
    };

    // Act
    let inside = fx.create(&partner(&fx), member_of("a2", "partner-a")).await;
    let outside = fx.create(&partner(&fx), member_of("b2", "partner-b")).await;
    let filtered = fx
        .service
        .list(&partner(&fx), ResourceKind::User, &unreadable)
        .await;

    // Assert
    assert!(inside.is_ok());
    assert_eq!(refusal(outside), (403, None));
    assert_eq!(refusal(filtered), (403, None));
    assert_eq!(
        fx.store.outbox().len(),
        1,
        "only the create inside the rows"
    );
}

#[tokio::test]
async fn a_caller_without_a_write_scope_is_403_before_any_write() {
    // Arrange
    let fx = Fixture::new();
    let reader = fx.caller(&[Scope::Read], None, json!({}));

    // Act
    let created = fx.create(&reader, named("ada")).await;

    // Assert
    assert_eq!(refusal(created), (403, None));
    assert!(fx.store.outbox().is_empty());
}
