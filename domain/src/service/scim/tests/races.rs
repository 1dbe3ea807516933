//! Optimistic writes: a PATCH or PUT that loses a race re-reads and applies to the winner's
//! version, never over it; one that keeps losing gives up with a 409 and writes nothing.

use serde_json::json;

use super::fixture::{Fixture, named, refusal, titled};

/// The concurrent writer: sets `nickName`.
fn winner() -> super::memory_rows::Interloper {
    Box::new(|document| {
        document.insert("nickName".into(), json!("winner"));
    })
}

#[tokio::test]
async fn a_patch_that_loses_a_race_applies_on_top_of_the_winners_write() {
    // Arrange
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    fx.store.lose_next_write(winner());
    fx.store.lose_next_write(winner());
    let title = json!([{"op": "replace", "path": "title", "value": "Countess"}]);

    // Act
    let patched = fx.patch(&fx.admin(), &id, title, None).await.unwrap();

    // Assert: both writes survive, at the version after the winner's two.
    let body = patched;
    assert_eq!(body["title"], "Countess");
    assert_eq!(
        body["nickName"], "winner",
        "the winner's change is kept: {body}"
    );
    assert_eq!(body["meta"]["version"], "W/\"4\"");
    assert_eq!(fx.stored(&id)["title"], "Countess");
    assert_eq!(
        fx.store.outbox().len(),
        2,
        "one event for the create, one for the PATCH"
    );
}

#[tokio::test]
async fn a_put_that_loses_a_race_retries_on_the_latest_version() {
    // Arrange
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    fx.store.lose_next_write(winner());
    let replacement = titled("ada", "Countess");

    // Act
    let replaced = fx
        .replace(&fx.admin(), &id, replacement, None)
        .await
        .unwrap();

    // Assert
    assert_eq!(replaced.version, 3);
    assert_eq!(replaced.body["title"], "Countess");
    assert_eq!(fx.stored(&id)["title"], "Countess");
    assert_eq!(fx.store.outbox().len(), 2);
}

#[tokio::test]
async fn a_put_conditioned_on_the_version_it_read_is_412_once_another_writer_got_in() {
    // Arrange: the client read version 1; someone writes before its PUT lands.
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    fx.store.lose_next_write(winner());
    let replacement = titled("ada", "Countess");

    // Act
    let result = fx
        .replace(&fx.admin(), &id, replacement, Some("W/\"1\""))
        .await;

    // Assert: refused, and the winner's document stands.
    assert_eq!(refusal(result), (412, None));
    let stored = fx.stored(&id);
    assert_eq!(stored["nickName"], "winner");
    assert!(stored.get("title").is_none(), "{stored:?}");
    assert_eq!(fx.store.outbox().len(), 1, "only the create committed");
}

#[tokio::test]
async fn a_patch_that_keeps_losing_gives_up_with_409_and_writes_nothing() {
    // Arrange: more lost races than the PATCH attempts.
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    for _ in 0..8 {
        fx.store.lose_next_write(winner());
    }
    let title = json!([{"op": "replace", "path": "title", "value": "Countess"}]);

    // Act
    let result = fx.patch(&fx.admin(), &id, title, None).await;

    // Assert
    assert_eq!(refusal(result), (409, None));
    assert!(fx.stored(&id).get("title").is_none());
    assert_eq!(fx.store.outbox().len(), 1, "only the create committed");
    assert_eq!(
        fx.audit.outcomes(),
        [("user.patch".to_owned(), 409, None)],
        "the failure is audited"
    );
}

#[tokio::test]
async fn a_put_that_keeps_losing_gives_up_with_409() {
    // Arrange: more lost races than the PUT attempts.
    let fx = Fixture::new();
    let id = fx.add_user(named("ada")).await;
    for _ in 0..5 {
        fx.store.lose_next_write(winner());
    }
    let replacement = titled("ada", "Countess");

    // Act
    let result = fx.replace(&fx.admin(), &id, replacement, None).await;

    // Assert
    assert_eq!(refusal(result), (409, None));
    assert!(fx.stored(&id).get("title").is_none());
}
