//! Concurrent membership PATCHes of one group share transactions (`membership_combiner`);
//! each still answers for itself: its own version, its own event with the members it really
//! added or removed, its own error.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::events::support::{all_events, reader};
use crate::helpers::{
    TestApp, TestTenant, assert_scim_error, etag, id, member_ids, patch_op, spawn_app,
};

async fn users(app: &TestApp, tenant: &TestTenant, prefix: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(id(&app.create_user(tenant, &format!("{prefix}{i}")).await));
    }
    ids
}

fn sorted(ids: &[String]) -> Vec<String> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids
}

/// Sends every PATCH at once and returns the responses in the order given.
async fn patch_all(
    app: &TestApp,
    tenant: &TestTenant,
    path: &str,
    edits: Vec<Value>,
) -> Vec<reqwest::Response> {
    let sent: Vec<_> = edits
        .into_iter()
        .map(|operations| {
            let request = app.patch_request(tenant, path, &patch_op(operations));
            tokio::spawn(request.send())
        })
        .collect();
    let mut responses = Vec::with_capacity(sent.len());
    for request in sent {
        responses.push(request.await.expect("task").expect("response"));
    }
    responses
}

#[tokio::test]
async fn concurrent_adds_and_removals_each_get_their_own_version_and_event() {
    // Arrange: a group of ten, ten others to bring in.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let events_token = reader(&app, &acme).await;
    let leaving = users(&app, &acme, "old", 10).await;
    let joining = users(&app, &acme, "new", 10).await;
    let members: Vec<&str> = leaving.iter().map(String::as_str).collect();
    let group = app.create_group(&acme, "hot", &members).await;
    let path = format!("/Groups/{}", id(&group));
    let mut edits = Vec::new();
    for (out, into) in leaving.iter().zip(&joining) {
        edits.push(json!([{"op": "remove", "path": format!("members[value eq \"{out}\"]")}]));
        edits.push(json!([{"op": "add", "path": "members", "value": [{"value": into}]}]));
    }

    // Act
    let responses = patch_all(&app, &acme, &path, edits).await;

    // Assert: twenty versions after the first, one each.
    let mut versions = HashSet::new();
    for response in &responses {
        assert_eq!(response.status(), 204);
        versions.insert(etag(response));
    }
    let expected: HashSet<String> = (2..=21).map(|v| format!("W/\"{v}\"")).collect();
    assert_eq!(versions, expected);
    let stored = app.get_json(&acme, &path).await;
    assert_eq!(member_ids(&stored), sorted(&joining));
    assert_eq!(stored["meta"]["version"], "W/\"21\"");
    // One event per PATCH, naming exactly its member, under its own version.
    let events = all_events(&app, "acme", &events_token).await;
    let updates: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "group.updated")
        .collect();
    assert_eq!(updates.len(), 20);
    let mut added = HashSet::new();
    let mut removed = HashSet::new();
    let mut event_versions = HashSet::new();
    for update in &updates {
        let named = |side: &str| -> Vec<String> {
            update["members"][side]
                .as_array()
                .map(|ids| {
                    ids.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (a, r) = (named("added"), named("removed"));
        assert_eq!(a.len() + r.len(), 1, "one member per event: {update}");
        added.extend(a);
        removed.extend(r);
        event_versions.insert(update["resource"]["version"].to_string());
    }
    assert_eq!(added, joining.iter().cloned().collect());
    assert_eq!(removed, leaving.iter().cloned().collect());
    assert_eq!(event_versions.len(), 20, "each event under its own version");
}

#[tokio::test]
async fn a_refused_edit_among_concurrent_ones_fails_alone() {
    // Arrange: `child` holds `parent`, so adding `child` to `parent` would make a cycle.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let parent = id(&app.create_group(&acme, "parent", &[]).await);
    let child = id(&app.create_group(&acme, "child", &[&parent]).await);
    let joining = users(&app, &acme, "user", 12).await;
    let path = format!("/Groups/{parent}");
    let mut edits: Vec<Value> = joining
        .iter()
        .map(|user| json!([{"op": "add", "path": "members", "value": [{"value": user}]}]))
        .collect();
    edits.insert(
        6,
        json!([{"op": "add", "path": "members", "value": [{"value": child}]}]),
    );

    // Act
    let mut responses = patch_all(&app, &acme, &path, edits).await;

    // Assert
    let cycle = responses.remove(6);
    assert_scim_error(cycle, 400, Some("invalidValue")).await;
    for response in responses {
        assert_eq!(response.status(), 204);
    }
    let stored = app.get_json(&acme, &path).await;
    assert_eq!(member_ids(&stored), sorted(&joining));
    assert_eq!(stored["meta"]["version"], "W/\"13\"");
}
