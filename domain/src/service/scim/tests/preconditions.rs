//! What stands in a write's way before any race: an `If-Match` that names another version
//! (412, nothing written) and a `userName` another User holds, whatever its case (409
//! `uniqueness`, nothing written, the failure audited).

use serde_json::json;

use super::fixture::{Fixture, named, refusal, titled};
use crate::schema::kind::ResourceKind;

#[tokio::test]
async fn a_stale_if_match_refuses_patch_put_and_delete_with_412() {
    // Arrange: version 1 becomes 2.
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    let title = json!([{"op": "replace", "path": "title", "value": "first"}]);
    fx.patch(&fx.admin(), &id, title, None).await.unwrap();
    let stale = Some("W/\"1\"");
    let other = json!([{"op": "replace", "path": "title", "value": "second"}]);

    // Act
    let patched = fx.patch(&fx.admin(), &id, other, stale).await;
    let replaced = fx
        .replace(&fx.admin(), &id, titled("ada", "third"), stale)
        .await;
    let deleted = fx
        .service
        .delete(&fx.admin(), ResourceKind::User, &id, stale)
        .await;

    // Assert
    assert_eq!(refusal(patched), (412, None));
    assert_eq!(refusal(replaced), (412, None));
    assert_eq!(refusal(deleted), (412, None));
    assert_eq!(fx.stored(&id)["title"], "first");
    assert_eq!(fx.store.outbox().len(), 2, "the create and the first PATCH");
}

#[tokio::test]
async fn the_current_version_or_a_star_satisfies_if_match() {
    // Arrange
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    let title = json!([{"op": "replace", "path": "title", "value": "first"}]);

    // Act
    let current = fx.patch(&fx.admin(), &id, title, Some("W/\"1\"")).await;
    let star = fx
        .service
        .delete(&fx.admin(), ResourceKind::User, &id, Some("*"))
        .await;

    // Assert
    assert!(current.is_ok());
    assert!(star.is_ok());
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    assert!(fx.store.stored(fx.tenant, uuid).is_none());
}

#[tokio::test]
async fn a_taken_user_name_in_any_case_is_409_uniqueness_on_create_put_and_patch() {
    // Arrange
    let fx = Fixture::new();
    fx.add_user(named("ada")).await;
    let bob = fx.add_user(named("bob")).await;
    let rename = json!([{"op": "replace", "path": "userName", "value": "Ada"}]);

    // Act
    let created = fx.create(&fx.admin(), named("ADA")).await;
    let replaced = fx.replace(&fx.admin(), &bob, named("aDa"), None).await;
    let patched = fx.patch(&fx.admin(), &bob, rename, None).await;

    // Assert
    assert_eq!(refusal(created), (409, Some("uniqueness")));
    assert_eq!(refusal(replaced), (409, Some("uniqueness")));
    assert_eq!(refusal(patched), (409, Some("uniqueness")));
    assert_eq!(fx.stored(&bob)["userName"], "bob");
    assert_eq!(fx.store.outbox().len(), 2, "only the two creates committed");
    let uniqueness = Some("uniqueness".to_owned());
    assert_eq!(
        fx.audit.outcomes(),
        [
            ("user.create".to_owned(), 409, uniqueness.clone()),
            ("user.replace".to_owned(), 409, uniqueness.clone()),
            ("user.patch".to_owned(), 409, uniqueness),
        ]
    );
}
