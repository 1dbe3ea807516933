//! A write drops the cached reads it changes, not every cached read of its tenant: a cached
//! `GET` by id survives writes to unrelated resources (in-process cache here, two-level with
//! `TEST_REDIS_URL`).
//!
//! Whether a read came from the cache is seen through its `ETag`: the tests move every
//! version behind scimgate's back, so a read from the store answers a new `ETag` and a cached
//! one the old.

use reqwest::Response;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, bulk, etag, id, spawn_tenant, user};

/// Reads `path` twice (the second from the cache), then moves every stored version: from now
/// on only a read from the store answers another `ETag` than the one returned.
async fn cached(app: &TestApp, tenant: &TestTenant, path: &str) -> String {
    app.get(tenant, path).await;
    let response = app.get(tenant, path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    app.db
        .execute_unprepared("UPDATE resources SET version = version + 1000")
        .await
        .expect("versions moved behind scimgate's back");
    etag(&response)
}

async fn etag_of(app: &TestApp, tenant: &TestTenant, path: &str) -> String {
    let response = app.get(tenant, path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    etag(&response)
}

async fn ok(response: Response, what: &str) {
    assert!(
        response.status().is_success(),
        "{what}: {}",
        response.status()
    );
}

fn group_ids(user: &Value) -> Vec<&str> {
    user["groups"]
        .as_array()
        .map(|groups| groups.iter().filter_map(|g| g["value"].as_str()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_cached_read_by_id_survives_writes_to_other_users_and_follows_its_own() {
    // Arrange
    let (app, tenant) = spawn_tenant("acme").await;
    let ada = app.create_user(&tenant, "ada").await;
    let bob = app.create_user(&tenant, "bob").await;
    let ada_path = format!("/Users/{}", ada["id"].as_str().unwrap());
    let bob_path = format!("/Users/{}", bob["id"].as_str().unwrap());
    let cached_etag = cached(&app, &tenant, &ada_path).await;

    // Act: creates (one by Bulk), an update and a delete of others.
    app.create_user(&tenant, "carol").await;
    let by_bulk = bulk(json!([
        {"method": "POST", "path": "/Users", "bulkId": "d", "data": user("dave")}
    ]));
    ok(app.post(&tenant, "/Bulk", &by_bulk).await, "Bulk create").await;
    let rename = json!([{"op": "replace", "path": "displayName", "value": "Bob B."}]);
    ok(app.patch(&tenant, &bob_path, rename).await, "PATCH bob").await;
    ok(app.put(&tenant, &bob_path, &user("bobby")).await, "PUT bob").await;
    let eve = app.create_user(&tenant, "eve").await;
    let eve_path = format!("/Users/{}", eve["id"].as_str().unwrap());
    ok(app.delete(&tenant, &eve_path).await, "DELETE eve").await;
    let after_others = etag_of(&app, &tenant, &ada_path).await;

    let retitle = json!([{"op": "replace", "path": "title", "value": "Countess"}]);
    ok(app.patch(&tenant, &ada_path, retitle).await, "PATCH ada").await;
    let after_own = app.get_json(&tenant, &ada_path).await;

    // Assert
    assert_eq!(
        after_others, cached_etag,
        "ada still answered from the cache"
    );
    assert_eq!(after_own["title"], "Countess");
    assert_eq!(
        app.get_json(&tenant, &bob_path).await["userName"],
        "bobby",
        "bob's own reads follow his writes"
    );
}

#[tokio::test]
async fn a_cached_read_by_id_follows_the_groups_it_joins_and_leaves_and_no_others() {
    // Arrange
    let (app, tenant) = spawn_tenant("acme").await;
    let ada_id = id(&app.create_user(&tenant, "ada").await);
    let ada_path = format!("/Users/{ada_id}");
    let bob_path = format!("/Users/{}", id(&app.create_user(&tenant, "bob").await));
    let team_id = id(&app.create_group(&tenant, "team", &[]).await);
    let team_path = format!("/Groups/{team_id}");
    app.get(&tenant, &ada_path).await;
    let bob_etag = cached(&app, &tenant, &bob_path).await;

    // Act
    let join = json!([{"op": "add", "path": "members", "value": [{"value": ada_id}]}]);
    ok(app.patch(&tenant, &team_path, join).await, "ada joins").await;
    let joined = app.get_json(&tenant, &ada_path).await;
    let team_joined = app.get_json(&tenant, &team_path).await;
    let bob_after_join = etag_of(&app, &tenant, &bob_path).await;
    let created = app.create_group(&tenant, "founders", &[&ada_id]).await;
    let with_founders = app.get_json(&tenant, &ada_path).await;
    let leave = json!([{"op": "remove", "path": format!("members[value eq \"{ada_id}\"]")}]);
    ok(app.patch(&tenant, &team_path, leave).await, "ada leaves").await;
    let left = app.get_json(&tenant, &ada_path).await;
    let team_left = app.get_json(&tenant, &team_path).await;

    // Assert
    assert_eq!(group_ids(&joined), [team_id.as_str()]);
    assert_eq!(team_joined["members"][0]["value"], ada_id.as_str());
    assert_eq!(bob_after_join, bob_etag, "bob, no member, still cached");
    let founders_id = created["id"].as_str().unwrap();
    let mut both = group_ids(&with_founders);
    both.sort_unstable();
    let mut expected = [team_id.as_str(), founders_id];
    expected.sort_unstable();
    assert_eq!(both, expected);
    assert_eq!(group_ids(&left), [founders_id]);
    assert!(
        team_left["members"]
            .as_array()
            .is_none_or(|members| members.is_empty()),
        "{team_left}"
    );
}

#[tokio::test]
async fn a_cached_read_by_id_follows_a_group_it_joins_through_a_nested_group() {
    // Arrange: ada is in `inner`; reading her caches that one membership.
    let (app, tenant) = spawn_tenant("acme").await;
    let ada_id = id(&app.create_user(&tenant, "ada").await);
    let inner_id = id(&app.create_group(&tenant, "inner", &[&ada_id]).await);
    let outer_id = id(&app.create_group(&tenant, "outer", &[]).await);
    let ada_path = format!("/Users/{ada_id}");
    let before = app.get_json(&tenant, &ada_path).await;

    // Act: a write naming only `inner`, which reaches ada through it.
    let nest = json!([{"op": "add", "path": "members", "value": [{"value": inner_id}]}]);
    ok(
        app.patch(&tenant, &format!("/Groups/{outer_id}"), nest)
            .await,
        "nest",
    )
    .await;
    let after = app.get_json(&tenant, &ada_path).await;

    // Assert
    assert_eq!(group_ids(&before), [inner_id.as_str()]);
    let mut now = group_ids(&after);
    now.sort_unstable();
    let mut expected = [inner_id.as_str(), outer_id.as_str()];
    expected.sort_unstable();
    assert_eq!(now, expected);
}

#[tokio::test]
async fn a_cached_view_follows_membership_changes_of_the_resources_it_shows() {
    // Arrange: the caller sees only the users in `visible`, so its view of `team` lists
    // only them; bob is in `team` but not yet in `visible`.
    let (app, operator) = spawn_tenant("acme").await;
    let ada_id = id(&app.create_user(&operator, "ada").await);
    let bob_id = id(&app.create_user(&operator, "bob").await);
    let visible_id = id(&app.create_group(&operator, "visible", &[&ada_id]).await);
    let visible_path = format!("/Groups/{visible_id}");
    let team = app
        .create_group(&operator, "team", &[&ada_id, &bob_id])
        .await;
    let team_path = format!("/Groups/{}", id(&team));
    let policy = json!({"userFilter": format!("groups.value eq \"{visible_id}\"")});
    let caller = app
        .token_for(
            &operator,
            &json!({"name": "members-of-visible", "policy": policy}),
        )
        .await;
    let member_ids = |group: &Value| {
        let mut ids: Vec<String> = group["members"]
            .as_array()
            .map(|members| {
                members
                    .iter()
                    .filter_map(|m| m["value"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    };
    let before = app.get_json(&caller, &team_path).await;
    app.get_json(&caller, &team_path).await;

    // Act: a write to `visible` and bob only, which moves bob into the caller's rows.
    let show_bob = json!([{"op": "add", "path": "members", "value": [{"value": bob_id}]}]);
    ok(
        app.patch(&operator, &visible_path, show_bob).await,
        "show bob",
    )
    .await;
    let after = app.get_json(&caller, &team_path).await;

    // Assert
    assert_eq!(member_ids(&before), std::slice::from_ref(&ada_id));
    let mut both = vec![ada_id, bob_id];
    both.sort_unstable();
    assert_eq!(member_ids(&after), both);
}
