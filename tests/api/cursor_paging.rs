//! RFC 9865 cursor paging: walking forwards and backwards, with and without sorting, and the
//! errors for cursors that are tampered with, foreign, or paired with a bad count.

use serde_json::{Value, json};

use crate::helpers::{
    SEARCH_REQUEST, TestApp, TestTenant, USER_SCHEMA, assert_scim_error, listed, send, spawn_tenant,
};

async fn page(app: &TestApp, tenant: &TestTenant, query: &[(&str, &str)]) -> Value {
    app.get_query_json(tenant, "/Users", query).await
}

fn names(page: &Value) -> Vec<String> {
    listed(page, "userName")
}

/// Follows `nextCursor` from the first page to the last, collecting userNames.
async fn walk(app: &TestApp, tenant: &TestTenant, extra: &[(&str, &str)]) -> Vec<String> {
    let mut cursor = String::new();
    let mut seen = Vec::new();
    for _ in 0..20 {
        let mut query = vec![("cursor", cursor.as_str()), ("count", "3")];
        query.extend_from_slice(extra);
        let body = page(app, tenant, &query).await;
        assert!(
            body.get("startIndex").is_none(),
            "no startIndex in cursor mode"
        );
        seen.extend(names(&body));
        match body["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return seen,
        }
    }
    panic!("cursor walk did not end");
}

async fn seed(app: &TestApp, tenant: &TestTenant) {
    let family = [
        Some("Zed"),
        None,
        Some("Adams"),
        Some("Moss"),
        None,
        Some("adams"),
        Some("Bell"),
    ];
    for (i, family) in family.iter().enumerate() {
        let mut body = json!({"schemas": [USER_SCHEMA], "userName": format!("user{i}")});
        if let Some(f) = family {
            body["name"] = json!({"familyName": f});
        }
        let response = app.post(tenant, "/Users", &body).await;
        assert_eq!(response.status(), 201);
    }
}

#[tokio::test]
async fn cursor_walk_visits_every_user_once_in_order_and_ends() {
    let (app, acme) = spawn_tenant("acme").await;
    seed(&app, &acme).await;

    let walked = walk(&app, &acme, &[]).await;
    let first = page(&app, &acme, &[("cursor", ""), ("count", "3")]).await;
    let everything = names(&page(&app, &acme, &[("count", "100")]).await);

    assert_eq!(walked, everything);
    assert_eq!(first["totalResults"], 7);
    assert_eq!(first["itemsPerPage"], 3);
    assert!(first.get("previousCursor").is_none());
}

#[tokio::test]
async fn sorted_cursor_walks_match_the_sorted_listing_with_missing_values_placed_right() {
    let (app, acme) = spawn_tenant("acme").await;
    seed(&app, &acme).await;

    for order in ["ascending", "descending"] {
        let sort = [("sortBy", "name.familyName"), ("sortOrder", order)];
        let walked = walk(&app, &acme, &sort).await;
        let mut listing_query = vec![("count", "100")];
        listing_query.extend_from_slice(&sort);
        let listed = names(&page(&app, &acme, &listing_query).await);
        assert_eq!(walked, listed, "{order}");
    }
}

#[tokio::test]
async fn previous_cursor_leads_back_to_the_previous_page() {
    let (app, acme) = spawn_tenant("acme").await;
    seed(&app, &acme).await;
    let sort = [("sortBy", "userName"), ("sortOrder", "descending")];
    let first = page(
        &app,
        &acme,
        &[("cursor", ""), ("count", "3"), sort[0], sort[1]],
    )
    .await;
    let next = first["nextCursor"].as_str().unwrap().to_owned();
    let second = page(
        &app,
        &acme,
        &[("cursor", &next), ("count", "3"), sort[0], sort[1]],
    )
    .await;

    let previous = second["previousCursor"].as_str().unwrap().to_owned();
    let back = page(
        &app,
        &acme,
        &[("cursor", &previous), ("count", "3"), sort[0], sort[1]],
    )
    .await;

    assert_eq!(names(&back), names(&first));
    assert!(
        back.get("previousCursor").is_none(),
        "the first page has nothing before it"
    );
    assert!(back["nextCursor"].is_string());
}

#[tokio::test]
async fn users_created_between_pages_cause_no_repeats() {
    let (app, acme) = spawn_tenant("acme").await;
    seed(&app, &acme).await;
    let first = page(
        &app,
        &acme,
        &[("cursor", ""), ("count", "3"), ("sortBy", "userName")],
    )
    .await;
    app.create_user(&acme, "aaa-first-alphabetically").await;

    let next = first["nextCursor"].as_str().unwrap();
    let second = page(
        &app,
        &acme,
        &[("cursor", next), ("count", "3"), ("sortBy", "userName")],
    )
    .await;

    let overlap: Vec<_> = names(&second)
        .into_iter()
        .filter(|n| names(&first).contains(n))
        .collect();
    assert!(overlap.is_empty(), "{overlap:?}");
    assert_eq!(names(&second), ["user3", "user4", "user5"]);
}

/// A listing of a tenant with a query that must be refused, and the `scimType` it gets.
type BadQuery<'a> = (&'a TestTenant, &'a [(&'a str, &'a str)], &'a str);

#[tokio::test]
async fn bad_cursors_and_counts_get_the_rfc_9865_errors() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    seed(&app, &acme).await;
    seed(&app, &globex).await;
    let first = page(&app, &acme, &[("cursor", ""), ("count", "2")]).await;
    let cursor = first["nextCursor"].as_str().unwrap().to_owned();
    let tampered = format!("{}A", cursor);
    let cases: [BadQuery; 6] = [
        (
            &acme,
            &[("cursor", &tampered), ("count", "2")],
            "invalidCursor",
        ),
        (
            &acme,
            &[
                ("cursor", &cursor),
                ("count", "2"),
                ("filter", "userName pr"),
            ],
            "invalidCursor",
        ),
        (
            &globex,
            &[("cursor", &cursor), ("count", "2")],
            "invalidCursor",
        ),
        (&acme, &[("cursor", ""), ("count", "0")], "invalidCount"),
        (
            &acme,
            &[("cursor", ""), ("count", "100000")],
            "invalidCount",
        ),
        (
            &acme,
            &[("cursor", ""), ("startIndex", "2")],
            "invalidValue",
        ),
    ];

    for (tenant, query, scim_type) in cases {
        let response = send(app.get_request(tenant, "/Users").query(query)).await;
        assert_scim_error(response, 400, Some(scim_type)).await;
    }
}

#[tokio::test]
async fn cursor_paging_is_advertised_and_works_through_search() {
    let (app, acme) = spawn_tenant("acme").await;
    seed(&app, &acme).await;

    let config: Value = app.get_json(&acme, "/ServiceProviderConfig").await;
    let searched: Value = app
        .post_json(
            &acme,
            "/Users/.search",
            &json!({"schemas": [SEARCH_REQUEST], "cursor": "", "count": 5}),
        )
        .await;

    assert_eq!(config["pagination"]["cursor"], true);
    assert_eq!(config["pagination"]["index"], true);
    assert_eq!(config["pagination"]["maxPageSize"], 200);
    assert!(config["pagination"]["cursorTimeout"].as_i64().unwrap() > 0);
    assert_eq!(names(&searched).len(), 5);
    assert!(searched["nextCursor"].is_string());
}
