//! The purge: a soft-deleted resource past its retention is purged once, however many
//! replicas run the job, with a `purged` event and an audit entry; its id stays a tombstone
//! that no restore brings back.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use super::support::{archived_ids, restore, soft_delete};
use crate::admin_support::{admin_call, admin_token};
use crate::events::support::{all_events, reader, types};
use crate::helpers::{id, spawn_tenant};

#[tokio::test]
async fn resources_past_their_retention_are_purged_once_and_stay_gone() {
    // Arrange: ada deleted under a 2-day retention, bob under 5 days.
    let (app, acme) = spawn_tenant("acme").await;
    let events = reader(&app, &acme).await;
    soft_delete(&app, "acme", 2).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    assert_eq!(
        app.delete(&acme, &format!("/Users/{ada}")).await.status(),
        204
    );
    soft_delete(&app, "acme", 5).await;
    let bob = id(&app.create_user(&acme, "bob").await);
    assert_eq!(
        app.delete(&acme, &format!("/Users/{bob}")).await.status(),
        204
    );
    let in_three_days = Utc::now() + Duration::days(3);

    // Act: two replicas' jobs at once, then one more run.
    let (first, second) = tokio::join!(
        app.state.lifecycle.purge_expired(in_three_days),
        app.state.lifecycle.purge_expired(in_three_days),
    );
    let third = app.state.lifecycle.purge_expired(in_three_days).await;

    // Assert
    assert_eq!(
        first.unwrap() + second.unwrap(),
        1,
        "ada purged exactly once"
    );
    assert_eq!(third.unwrap(), 0);
    assert_eq!(archived_ids(&app, "acme").await, std::slice::from_ref(&bob));
    let (status, error) = restore(&app, "acme", &ada).await;
    assert_eq!(status, 404, "{error}");
    let all = all_events(&app, "acme", &events).await;
    let purged: Vec<&str> = types(&all)
        .into_iter()
        .filter(|t| t.ends_with(".purged"))
        .collect();
    assert_eq!(purged, ["user.purged"]);
    let last = all.last().unwrap();
    assert_eq!(last["resource"]["id"], json!(ada));
    assert_eq!(last["eventUri"], "urn:scimgate:event:prov:purge");
    let admin = admin_token(&app, "acme").await;
    let (_, audit, _) = admin_call(&app, Method::GET, "acme", "/audit", &admin.token).await;
    let purges: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "user.purge")
        .map(|e| e["targetId"].as_str().unwrap())
        .collect();
    assert_eq!(purges, [ada.as_str()]);
    // bob, still within retention, comes back.
    assert_eq!(restore(&app, "acme", &bob).await.0, 201);
}
