//! Events past the retention window are purged, and a consumer whose cursor points before
//! the window is told to resync instead of silently missing changes.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::support::{fetch, page, reader, types};
use crate::helpers::{assert_scim_error, spawn_tenant};

#[tokio::test]
async fn purged_events_turn_an_old_cursor_into_an_expired_cursor_error() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    app.create_user(&acme, "ada").await;
    app.create_user(&acme, "grace").await;

    let kept = app.state.events.purge_expired(Utc::now()).await.unwrap();
    assert_eq!(kept, 0, "events inside the window stay");
    let later = Utc::now() + Duration::days(31);
    let purged = app.state.events.purge_expired(later).await.unwrap();
    assert_eq!(purged, 2);

    let body = assert_scim_error(
        fetch(&app, "acme", &token, "after=1").await,
        400,
        Some("expiredCursor"),
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("resync"),
        "{body}"
    );
    let fresh: Value = page(&app, "acme", &token, "").await;
    assert_eq!(fresh["events"], json!([]));
    assert_eq!(
        fresh["nextCursor"],
        json!("2"),
        "a fresh reader follows from the head"
    );

    app.create_user(&acme, "hedy").await;
    let followed: Value = page(&app, "acme", &token, "after=2").await;
    assert_eq!(
        types(followed["events"].as_array().unwrap()),
        ["user.created"]
    );
    assert_eq!(
        followed["events"][0]["sequence"],
        json!(3),
        "numbers continue after a purge"
    );
}
