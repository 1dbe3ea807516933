//! Filters on `members` and `groups` behave as if the members and groups outside the caller's
//! rows did not exist, and totals and pages count only what the caller finds.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{World, set, world};
use crate::helpers::{SEARCH_REQUEST, TestApp, TestTenant, spawn_app, status_json};

/// Replaces `{name}` with the id of the resource `name`.
fn with_ids(w: &World, filter: &str) -> String {
    w.ids.iter().fold(filter.to_owned(), |f, (name, id)| {
        f.replace(&format!("{{{name}}}"), id)
    })
}

/// The names `who` finds at `endpoint` (`/Users` or `/Groups`) with `filter`, and the
/// `totalResults` it is told.
async fn found(
    app: &TestApp,
    w: &World,
    who: &TestTenant,
    endpoint: &str,
    filter: &str,
) -> (BTreeSet<String>, u64) {
    let filter = with_ids(w, filter);
    let (status, body) = status_json(
        app.client
            .get(format!("{}{endpoint}", who.base))
            .query(&[("filter", filter.as_str()), ("count", "100")])
            .bearer_auth(&who.token),
    )
    .await;
    assert_eq!(status, 200, "{filter}: {body}");
    names_in(w, &body)
}

fn names_in(w: &World, body: &Value) -> (BTreeSet<String>, u64) {
    let ids = body["Resources"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|r| r["id"].as_str().unwrap())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    (w.names(ids), body["totalResults"].as_u64().unwrap())
}

#[tokio::test]
async fn group_filters_find_nothing_through_members_outside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let cases: [(&TestTenant, &str, &[&str]); 10] = [
        (&w.a, "members.value eq \"{b1}\"", &[]),
        (&w.a, "members[value eq \"{b1}\"]", &[]),
        (
            &w.a,
            "members[value eq \"{b1}\" or value eq \"{a1}\"]",
            &["shared"],
        ),
        (&w.a, "members.value eq \"{a1}\"", &["shared"]),
        (&w.a, "members[type eq \"Group\"]", &["shared"]),
        (&w.a, "members pr", &["a-team", "shared"]),
        (&w.a, "not (members pr)", &["shared-b"]),
        (
            &w.a,
            "members.value ne \"{b1}\"",
            &["a-team", "shared", "shared-b"],
        ),
        (&w.b, "members.value eq \"{a1}\"", &[]),
        (
            &w.operator,
            "members.value eq \"{b1}\"",
            &["shared", "shared-b"],
        ),
    ];

    for (who, filter, expected) in cases {
        // Act
        let (names, total) = found(&app, &w, who, "/Groups", filter).await;

        // Assert
        assert_eq!(names, set(expected), "{filter}");
        assert_eq!(total, expected.len() as u64, "totalResults of {filter}");
    }
}

#[tokio::test]
async fn user_filters_find_nothing_through_groups_outside_the_rows() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let cases: [(&TestTenant, &str, &[&str]); 7] = [
        (&w.a, "groups.value eq \"{b-secret}\"", &[]),
        (&w.a, "groups[value eq \"{b-team}\"]", &[]),
        (&w.a, "groups.value eq \"{shared}\"", &["a1", "a2", "a3"]),
        (&w.a, "groups pr", &["a1", "a2", "a3"]),
        (&w.a, "not (groups pr)", &["a4"]),
        (&w.b, "groups.value eq \"{b-secret}\"", &[]),
        (&w.operator, "groups.value eq \"{b-secret}\"", &["a1", "a4"]),
    ];

    for (who, filter, expected) in cases {
        // Act
        let (names, total) = found(&app, &w, who, "/Users", filter).await;

        // Assert
        assert_eq!(names, set(expected), "{filter}");
        assert_eq!(total, expected.len() as u64, "totalResults of {filter}");
    }
}

#[tokio::test]
async fn searches_find_nothing_through_hidden_members() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let body =
        json!({"schemas": [SEARCH_REQUEST], "filter": with_ids(&w, "members.value eq \"{b1}\"")});

    // Act
    let (_, groups) = status_json(app.post_request(&w.a, "/Groups/.search", &body)).await;
    let (_, root) = status_json(app.post_request(&w.a, "/.search", &body)).await;

    // Assert
    assert_eq!(names_in(&w, &groups), (set(&[]), 0), "{groups}");
    assert_eq!(names_in(&w, &root), (set(&[]), 0), "{root}");
}

#[tokio::test]
async fn pages_and_totals_count_only_visible_matches() {
    // Arrange
    let app = spawn_app().await;
    let w = world(&app).await;
    let page = |start: &str| {
        app.client
            .get(format!("{}/Groups", w.a.base))
            .query(&[
                ("filter", "members pr"),
                ("count", "1"),
                ("startIndex", start),
            ])
            .bearer_auth(&w.a.token)
    };

    // Act
    let (_, first) = status_json(page("1")).await;
    let (_, second) = status_json(page("2")).await;
    let (_, past) = status_json(page("3")).await;
    let (_, unfiltered) = status_json(app.get_request(&w.a, "/Groups?count=1")).await;
    let (_, cursor_first) = status_json(
        app.client
            .get(format!("{}/Groups", w.a.base))
            .query(&[("filter", "members pr"), ("count", "1"), ("cursor", "")])
            .bearer_auth(&w.a.token),
    )
    .await;
    let next = cursor_first["nextCursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (_, cursor_second) = status_json(
        app.client
            .get(format!("{}/Groups", w.a.base))
            .query(&[
                ("filter", "members pr"),
                ("count", "1"),
                ("cursor", next.as_str()),
            ])
            .bearer_auth(&w.a.token),
    )
    .await;

    // Assert
    let (one, total) = names_in(&w, &first);
    let (two, _) = names_in(&w, &second);
    assert_eq!(total, 2, "{first}");
    assert_eq!(second["totalResults"], 2, "{second}");
    assert_eq!(
        one.union(&two).cloned().collect::<BTreeSet<_>>(),
        set(&["a-team", "shared"])
    );
    assert_eq!(past["totalResults"], 2, "{past}");
    assert_eq!(
        unfiltered["totalResults"], 3,
        "A's groups, not the tenant's: {unfiltered}"
    );
    assert!(
        past["Resources"].as_array().is_none_or(Vec::is_empty),
        "{past}"
    );
    let (c1, ctotal) = names_in(&w, &cursor_first);
    let (c2, _) = names_in(&w, &cursor_second);
    assert_eq!(ctotal, 2, "{cursor_first}");
    assert_eq!(
        c1.union(&c2).cloned().collect::<BTreeSet<_>>(),
        set(&["a-team", "shared"])
    );
    assert!(cursor_second.get("nextCursor").is_none(), "{cursor_second}");
}
