//! Reads: `Group.members` and `User.groups` show only what the caller's rows hold, on GET
//! (cached or not), listings, `.search` and the root `.search`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::{World, members_seen, related, set, world};
use crate::helpers::{SEARCH_REQUEST, TestApp, TestTenant, spawn_app, status_json};

/// `displayName` → member names, of every group in a listing body.
fn members_by_group(world: &World, body: &Value) -> BTreeMap<String, BTreeSet<String>> {
    body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("displayName").is_some())
        .map(|g| {
            (
                g["displayName"].as_str().unwrap().to_owned(),
                world.names(related(g, "members")),
            )
        })
        .collect()
}

/// What partner A must see of every group it can see.
fn a_view() -> BTreeMap<String, BTreeSet<String>> {
    [
        ("a-team", set(&["a2"])),
        ("shared", set(&["a1", "a-team"])),
        ("shared-b", set(&[])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[tokio::test]
async fn a_group_read_shows_each_caller_only_the_members_inside_its_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;

    // Act: the operator reads first, so its complete view sits in the read cache.
    let operator = members_seen(&app, &w, &w.operator, "shared").await;
    let a = members_seen(&app, &w, &w.a, "shared").await;
    let b = members_seen(&app, &w, &w.b, "shared").await;
    let a_again = members_seen(&app, &w, &w.a, "shared").await;
    let a_nothing = members_seen(&app, &w, &w.a, "shared-b").await;
    let b_nothing = members_seen(&app, &w, &w.b, "b-secret").await;
    let b_team = members_seen(&app, &w, &w.b, "b-team").await;
    let (hidden, _) =
        status_json(app.get_request(&w.a, &format!("/Groups/{}", w.id("b-team")))).await;

    // Assert
    assert_eq!(operator, set(&["a1", "b1", "a-team", "b-team"]));
    assert_eq!(a, set(&["a1", "a-team"]));
    assert_eq!(b, set(&["b1", "b-team"]));
    assert_eq!(a_again, a, "a cached read keeps the caller's view");
    assert!(a_nothing.is_empty(), "{a_nothing:?}");
    assert!(b_nothing.is_empty(), "{b_nothing:?}");
    assert_eq!(b_team, set(&["b2"]));
    assert_eq!(hidden, 404, "a group outside the rows stays absent");
}

#[tokio::test]
async fn listings_and_searches_show_only_visible_members() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let search = json!({"schemas": [SEARCH_REQUEST], "count": 50});

    // Act
    let (_, listed) = status_json(app.get_request(&w.a, "/Groups")).await;
    let (_, searched) = status_json(app.post_request(&w.a, "/Groups/.search", &search)).await;
    let (_, root) = status_json(app.post_request(&w.a, "/.search", &search)).await;
    let (_, operator) = status_json(app.get_request(&w.operator, "/Groups")).await;

    // Assert
    assert_eq!(listed["totalResults"], 3, "{listed}");
    assert_eq!(members_by_group(&w, &listed), a_view());
    assert_eq!(members_by_group(&w, &searched), a_view());
    assert_eq!(members_by_group(&w, &root), a_view());
    assert_eq!(
        members_by_group(&w, &operator)["shared"],
        set(&["a1", "b1", "a-team", "b-team"])
    );
}

/// The names of the groups of user `name` as `who` reads it.
async fn groups_seen(app: &TestApp, w: &World, who: &TestTenant, name: &str) -> BTreeSet<String> {
    let (status, user) = status_json(app.get_request(who, &format!("/Users/{}", w.id(name)))).await;
    assert_eq!(status, 200, "{user}");
    w.names(related(&user, "groups"))
}

#[tokio::test]
async fn user_groups_show_only_the_groups_inside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;

    // Act
    let operator_a1 = groups_seen(&app, &w, &w.operator, "a1").await;
    let a1 = groups_seen(&app, &w, &w.a, "a1").await;
    let a2 = groups_seen(&app, &w, &w.a, "a2").await;
    let a3 = groups_seen(&app, &w, &w.a, "a3").await;
    let a4 = groups_seen(&app, &w, &w.a, "a4").await;
    let b2 = groups_seen(&app, &w, &w.b, "b2").await;
    let (_, listed) =
        status_json(app.get_request(&w.a, "/Users?filter=userName%20eq%20%22a1%22")).await;

    // Assert
    assert_eq!(operator_a1, set(&["shared", "b-secret"]));
    assert_eq!(a1, set(&["shared"]), "b-secret is B's");
    assert_eq!(a2, set(&["a-team", "shared"]));
    assert_eq!(
        a3,
        set(&["shared", "shared-b"]),
        "through b-team, which A cannot see"
    );
    assert!(a4.is_empty(), "{a4:?}");
    assert_eq!(b2, set(&["b-team", "shared", "shared-b"]));
    assert_eq!(
        w.names(related(&listed["Resources"][0], "groups")),
        set(&["shared"]),
        "{listed}"
    );
}
