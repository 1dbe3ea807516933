//! Filters and sorting over HTTP, run in the database on SQLite and PostgreSQL alike.

use serde_json::{Value, json};

use crate::helpers::{ENTERPRISE, GROUP_SCHEMA, TestApp, TestTenant, USER_SCHEMA, spawn_tenant};

/// Three users with different shapes; returns them by userName order: ada, grace, linus.
async fn seed(app: &TestApp, tenant: &TestTenant) -> Vec<Value> {
    let ada = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": "Ada",
        "displayName": "Ada Lovelace",
        "externalId": "EXT-1",
        "title": "Countess",
        "active": true,
        "name": {"familyName": "Lovelace", "givenName": "Ada"},
        "emails": [
            {"value": "ada@work.example", "type": "work", "primary": true},
            {"value": "ada@home.example", "type": "home"}
        ],
        ENTERPRISE: {"department": "Math", "employeeNumber": "001"},
    });
    let grace = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": "grace",
        "displayName": "Grace Hopper",
        "externalId": "ext-2",
        "active": false,
        "name": {"familyName": "Hopper"},
        "emails": [{"value": "grace@navy.example", "type": "work"}],
        ENTERPRISE: {"department": "Navy"},
    });
    let linus = json!({
        "schemas": [USER_SCHEMA],
        "userName": "linus",
        "emails": [{"value": "linus@home.example", "type": "home"}],
    });
    let mut created = Vec::new();
    for body in [ada, grace, linus] {
        let response = app.post(tenant, "/Users", &body).await;
        assert_eq!(response.status(), 201);
        created.push(response.json().await.unwrap());
    }
    created
}

async fn user_names(app: &TestApp, tenant: &TestTenant, query: &str) -> Vec<String> {
    let body = app
        .get_query_json(tenant, "/Users", &[("filter", query)])
        .await;
    let names: Vec<String> = body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["userName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(body["totalResults"], names.len(), "totalResults of {query}");
    names
}

#[tokio::test]
async fn filters_match_what_the_rfc_says_on_every_kind_of_attribute() {
    let (app, acme) = spawn_tenant("acme").await;
    let users = seed(&app, &acme).await;
    let ada_id = users[0]["id"].as_str().unwrap();
    let cases: Vec<(String, Vec<&str>)> = vec![
        (r#"userName eq "ADA""#.into(), vec!["Ada"]),
        (r#"USERNAME EQ "grace""#.into(), vec!["grace"]),
        (r#"userName ne "ada""#.into(), vec!["grace", "linus"]),
        (r#"userName sw "gr""#.into(), vec!["grace"]),
        (r#"userName ew "US""#.into(), vec!["linus"]),
        (r#"userName co "a""#.into(), vec!["Ada", "grace"]),
        (r#"externalId eq "ext-1""#.into(), vec![]),
        (r#"externalId eq "EXT-1""#.into(), vec!["Ada"]),
        (r#"displayName co "hopper""#.into(), vec!["grace"]),
        (r#"name.familyName sw "lo""#.into(), vec!["Ada"]),
        (
            r#"emails.value eq "GRACE@navy.example""#.into(),
            vec!["grace"],
        ),
        (r#"emails co "home.example""#.into(), vec!["Ada", "linus"]),
        (
            r#"emails[type eq "work" and value co "navy"]"#.into(),
            vec!["grace"],
        ),
        (
            r#"emails[type eq "home" and value co "navy"]"#.into(),
            vec![],
        ),
        (
            r#"emails[type eq "home"].value ew "home.example""#.into(),
            vec!["Ada", "linus"],
        ),
        ("active eq false".into(), vec!["grace"]),
        ("not (active eq true)".into(), vec!["grace", "linus"]),
        ("title pr".into(), vec!["Ada"]),
        ("not (title pr)".into(), vec!["grace", "linus"]),
        (r#"title ne "Countess""#.into(), vec!["grace", "linus"]),
        (
            format!("{ENTERPRISE}:department eq \"navy\""),
            vec!["grace"],
        ),
        (r#"department eq "MATH""#.into(), vec!["Ada"]),
        (
            r#"userName eq "ada" or userName eq "grace" and active eq true"#.into(),
            vec!["Ada"],
        ),
        (
            r#"(userName eq "ada" or userName eq "grace") and active eq false"#.into(),
            vec!["grace"],
        ),
        (format!("id eq \"{ada_id}\""), vec!["Ada"]),
        (r#"id eq "not-a-uuid""#.into(), vec![]),
        (
            r#"meta.created gt "2000-01-01T00:00:00Z""#.into(),
            vec!["Ada", "grace", "linus"],
        ),
        (
            r#"meta.lastModified lt "2000-01-01T00:00:00Z""#.into(),
            vec![],
        ),
        (
            r#"meta.resourceType eq "User""#.into(),
            vec!["Ada", "grace", "linus"],
        ),
    ];

    for (filter, expected) in cases {
        assert_eq!(
            user_names(&app, &acme, &filter).await,
            expected,
            "filter {filter}"
        );
    }
}

#[tokio::test]
async fn filters_never_reach_into_another_tenant() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    seed(&app, &acme).await;
    seed(&app, &globex).await;

    let names = user_names(&app, &acme, r#"emails[type eq "work"]"#).await;

    assert_eq!(names, vec!["Ada", "grace"]);
}

#[tokio::test]
async fn membership_filters_use_the_member_table() {
    let (app, acme) = spawn_tenant("acme").await;
    let users = seed(&app, &acme).await;
    let ada = users[0]["id"].as_str().unwrap();
    let group = app.create_group(&acme, "Admins", &[ada]).await;
    app.create_group(&acme, "Empty", &[]).await;
    let group_id = group["id"].as_str().unwrap();

    let members_filter = format!("members[value eq \"{ada}\"]");
    let with_ada = app
        .get_query_json(&acme, "/Groups", &[("filter", &members_filter)])
        .await;
    let in_group = user_names(&app, &acme, &format!("groups.value eq \"{group_id}\"")).await;
    let by_name = app
        .get_query_json(
            &acme,
            "/Groups",
            &[
                ("filter", "displayName eq \"admins\""),
                ("excludedAttributes", "members"),
            ],
        )
        .await;

    assert_eq!(with_ada["totalResults"], 1);
    assert_eq!(with_ada["Resources"][0]["displayName"], "Admins");
    assert_eq!(in_group, vec!["Ada"]);
    assert_eq!(by_name["Resources"][0]["id"], group_id);
    assert_eq!(by_name["Resources"][0]["schemas"], json!([GROUP_SCHEMA]));
}

async fn sorted(app: &TestApp, tenant: &TestTenant, sort_by: &str, order: &str) -> Vec<String> {
    let body = app
        .get_query_json(
            tenant,
            "/Users",
            &[("sortBy", sort_by), ("sortOrder", order)],
        )
        .await;
    body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["userName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn sorting_orders_values_and_puts_missing_ones_last_ascending_first_descending() {
    let (app, acme) = spawn_tenant("acme").await;
    seed(&app, &acme).await;

    assert_eq!(
        sorted(&app, &acme, "userName", "ascending").await,
        ["Ada", "grace", "linus"]
    );
    assert_eq!(
        sorted(&app, &acme, "userName", "descending").await,
        ["linus", "grace", "Ada"]
    );
    assert_eq!(
        sorted(&app, &acme, "name.familyName", "ascending").await,
        ["grace", "Ada", "linus"]
    );
    assert_eq!(
        sorted(&app, &acme, "name.familyName", "descending").await,
        ["linus", "Ada", "grace"]
    );
    // Multi-valued: the primary (or else first) value decides.
    assert_eq!(
        sorted(&app, &acme, "emails", "ascending").await,
        ["Ada", "grace", "linus"]
    );
    assert_eq!(
        sorted(&app, &acme, "emails.type", "descending").await,
        ["Ada", "grace", "linus"]
    );
}

#[tokio::test]
async fn filtered_pages_count_only_matches() {
    let (app, acme) = spawn_tenant("acme").await;
    for i in 0..5 {
        app.create_user(&acme, &format!("match{i}")).await;
        app.create_user(&acme, &format!("other{i}")).await;
    }

    let page = app
        .get_query_json(
            &acme,
            "/Users",
            &[
                ("filter", "userName sw \"match\""),
                ("sortBy", "userName"),
                ("startIndex", "2"),
                ("count", "2"),
            ],
        )
        .await;

    assert_eq!(page["totalResults"], 5);
    assert_eq!(page["itemsPerPage"], 2);
    assert_eq!(page["Resources"][0]["userName"], "match1");
    assert_eq!(page["Resources"][1]["userName"], "match2");
}

#[tokio::test]
async fn group_filters_on_users_follow_nested_groups_as_user_groups_lists_them() {
    // ada is in Team, Team in Company; grace is in Company directly; other tenants' groups
    // of the same shape must not leak in.
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let users = seed(&app, &acme).await;
    seed(&app, &globex).await;
    let ada = users[0]["id"].as_str().unwrap();
    let grace = users[1]["id"].as_str().unwrap();
    let team = app.create_group(&acme, "Team", &[ada]).await;
    let team_id = team["id"].as_str().unwrap();
    let company = app.create_group(&acme, "Company", &[team_id, grace]).await;
    let company_id = company["id"].as_str().unwrap();

    let mut in_company =
        user_names(&app, &acme, &format!("groups.value eq \"{company_id}\"")).await;
    in_company.sort();
    let mut bracketed =
        user_names(&app, &acme, &format!("groups[value eq \"{company_id}\"]")).await;
    bracketed.sort();
    let in_team = user_names(&app, &acme, &format!("groups eq \"{team_id}\"")).await;
    let outside = user_names(&app, &acme, &format!("not (groups.value eq \"{team_id}\")")).await;
    let unknown = user_names(&app, &acme, "groups.value eq \"not-a-group-id\"").await;
    let elsewhere = user_names(&app, &globex, &format!("groups.value eq \"{company_id}\"")).await;

    assert_eq!(in_company, vec!["Ada", "grace"]);
    assert_eq!(bracketed, in_company);
    assert_eq!(in_team, vec!["Ada"]);
    assert!(!outside.contains(&"Ada".to_owned()) && outside.contains(&"grace".to_owned()));
    assert!(unknown.is_empty());
    assert!(elsewhere.is_empty());
}
