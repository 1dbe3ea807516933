//! Listings are cached (in-process here, two-level with `TEST_REDIS_URL`) and every write of
//! the tenant makes them stale: a lookup never misses a committed write, whatever its kind.
//!
//! Whether a listing came from the cache is seen through its resources' `meta.version`: the
//! tests move every version behind scimgate's back, so only a read from the store shows it.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, bulk, listed, spawn_app, user};

/// The `userName`s a filtered listing returns, in order.
async fn names(app: &TestApp, tenant: &TestTenant, filter: &str) -> Vec<String> {
    let page = app
        .get_query_json(
            tenant,
            "/Users",
            &[("filter", filter), ("sortBy", "userName")],
        )
        .await;
    listed(&page, "userName")
}

async fn version_listed(app: &TestApp, tenant: &TestTenant, filter: &str) -> Value {
    let page = app
        .get_query_json(tenant, "/Users", &[("filter", filter)])
        .await;
    page["Resources"][0]["meta"]["version"].clone()
}

async fn move_versions(app: &TestApp) {
    app.db
        .execute_unprepared("UPDATE resources SET version = version + 1000")
        .await
        .expect("versions moved behind scimgate's back");
}

fn succeeded(status: reqwest::StatusCode, what: &str) {
    assert!(status.is_success(), "{what}: {status}");
}

#[tokio::test]
async fn a_lookup_is_answered_from_the_cache_until_a_write_of_its_tenant() {
    // Arrange: ada's lookup cached, then every version moved.
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let other = app.tenant("other").await;
    app.create_user(&acme, "ada").await;
    let lookup = r#"userName eq "ada""#;
    let cached = version_listed(&app, &acme, lookup).await;
    move_versions(&app).await;

    // Act
    let again = version_listed(&app, &acme, lookup).await;
    app.create_user(&other, "someone").await;
    let after_other_tenant = version_listed(&app, &acme, lookup).await;
    app.create_user(&acme, "bob").await;
    let after_own_tenant = version_listed(&app, &acme, lookup).await;

    // Assert
    assert_eq!(again, cached, "the second lookup came from the cache");
    assert_eq!(
        after_other_tenant, cached,
        "another tenant's write keeps the cached lookup"
    );
    assert_ne!(
        after_own_tenant, cached,
        "a create in the tenant drops its cached lookups"
    );
}

#[tokio::test]
async fn every_kind_of_write_shows_in_a_cached_listing_at_once() {
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    let a_names = r#"userName sw "a""#;
    let ada = app.create_user(&tenant, "ada").await;
    let ada_path = format!("/Users/{}", ada["id"].as_str().expect("id"));
    assert_eq!(names(&app, &tenant, a_names).await, ["ada"]);

    // POST
    let anna = app.create_user(&tenant, "anna").await;
    let anna_path = format!("/Users/{}", anna["id"].as_str().expect("id"));
    assert_eq!(names(&app, &tenant, a_names).await, ["ada", "anna"]);

    // Bulk (independent creates go through one shared transaction)
    let by_bulk = bulk(json!([
        {"method": "POST", "path": "/Users", "bulkId": "a", "data": user("abe")},
        {"method": "POST", "path": "/Users", "bulkId": "b", "data": user("bea")}
    ]));
    succeeded(app.post(&tenant, "/Bulk", &by_bulk).await.status(), "Bulk");
    assert_eq!(names(&app, &tenant, a_names).await, ["abe", "ada", "anna"]);

    // PATCH moving a user out of the listing
    let rename = json!([{"op": "replace", "path": "userName", "value": "zanna"}]);
    succeeded(
        app.patch(&tenant, &anna_path, rename).await.status(),
        "PATCH",
    );
    assert_eq!(names(&app, &tenant, a_names).await, ["abe", "ada"]);

    // PUT moving one in
    succeeded(
        app.put(&tenant, &anna_path, &user("anne")).await.status(),
        "PUT",
    );
    assert_eq!(names(&app, &tenant, a_names).await, ["abe", "ada", "anne"]);

    // DELETE
    succeeded(app.delete(&tenant, &ada_path).await.status(), "DELETE");
    assert_eq!(names(&app, &tenant, a_names).await, ["abe", "anne"]);

    // Group writes change what a membership filter on Users selects.
    let anne_id = anna["id"].as_str().expect("id");
    let team = app.create_group(&tenant, "team", &[]).await;
    let team_id = team["id"].as_str().expect("id");
    let in_team = format!(r#"groups.value eq "{team_id}""#);
    assert!(names(&app, &tenant, &in_team).await.is_empty());
    let join = json!([{"op": "add", "path": "members", "value": [{"value": anne_id}]}]);
    let team_path = format!("/Groups/{team_id}");
    succeeded(app.patch(&tenant, &team_path, join).await.status(), "join");
    assert_eq!(names(&app, &tenant, &in_team).await, ["anne"]);
    succeeded(
        app.delete(&tenant, &team_path).await.status(),
        "DELETE group",
    );
    assert!(names(&app, &tenant, &in_team).await.is_empty());
}

#[tokio::test]
async fn a_cached_page_is_the_callers_own() {
    // Arrange: the same listing cached for one caller's query window.
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    for name in ["ada", "bob", "carol"] {
        app.create_user(&tenant, name).await;
    }
    let page = |start: &'static str| {
        let app = &app;
        let tenant = &tenant;
        async move {
            let query = [
                ("sortBy", "userName"),
                ("count", "1"),
                ("startIndex", start),
            ];
            app.get_query_json(tenant, "/Users", &query).await["Resources"][0]["userName"].clone()
        }
    };

    // Act
    let first = page("1").await;
    let second = page("2").await;
    let first_again = page("1").await;

    // Assert: pages of one query do not share an entry.
    assert_eq!([first, second, first_again], ["ada", "bob", "ada"]);
}

#[tokio::test]
async fn a_restricted_caller_never_reads_a_page_cached_for_another() {
    // Arrange: the unrestricted listing cached first.
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    for name in ["ada", "bob"] {
        app.create_user(&tenant, name).await;
    }
    let restricted = app
        .token_for(
            &tenant,
            &json!({"policy": {"userFilter": r#"userName eq "bob""#}}),
        )
        .await;
    let everyone = r#"userName pr"#;
    assert_eq!(names(&app, &tenant, everyone).await, ["ada", "bob"]);

    // Act
    let seen_restricted = names(&app, &restricted, everyone).await;
    let seen_again = names(&app, &tenant, everyone).await;

    // Assert
    assert_eq!(seen_restricted, ["bob"]);
    assert_eq!(seen_again, ["ada", "bob"]);
}
