//! Filters on the server's own attributes that resolution accepts select the same resources
//! in a search (SQL) and in a row filter or PATCH path (the evaluator).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, id, status_json};

/// The ids a Users search with `filter` returns, asserting a 200.
async fn searched(app: &TestApp, tenant: &TestTenant, filter: &str) -> Vec<String> {
    let response = app
        .get_request(tenant, "/Users")
        .query(&[("filter", filter)])
        .send()
        .await
        .expect("GET sent");
    assert_eq!(response.status(), 200, "{filter}");
    let body: Value = response.json().await.expect("json");
    body["Resources"]
        .as_array()
        .expect("Resources")
        .iter()
        .map(id)
        .collect()
}

/// `tenant` through a token whose rows are the Users `filter` selects.
async fn rows_of(app: &TestApp, tenant: &TestTenant, filter: &str) -> TestTenant {
    app.token_for(tenant, &json!({"policy": {"userFilter": filter}}))
        .await
}

/// Which of `ids` a GET of the single User answers through `rows` (the evaluator judges it).
async fn readable(app: &TestApp, rows: &TestTenant, ids: &[&str]) -> Vec<String> {
    let mut seen = Vec::new();
    for user in ids {
        let (status, _) =
            status_json(app.request(Method::GET, rows, &format!("/Users/{user}"))).await;
        assert!(status == 200 || status == 404, "{user}: {status}");
        if status == 200 {
            seen.push((*user).to_owned());
        }
    }
    seen
}

#[tokio::test]
async fn version_and_id_filters_select_the_same_users_in_a_search_and_a_row_filter() {
    let app = crate::helpers::spawn_app().await;
    let acme = app.tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let grace = id(&app.create_user(&acme, "grace").await);
    let renamed = app
        .patch(
            &acme,
            &format!("/Users/{grace}"),
            json!([{"op": "replace", "path": "displayName", "value": "Grace"}]),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let version = ada["meta"]["version"].as_str().expect("version").to_owned();
    let number = version
        .trim_start_matches("W/")
        .trim_matches('"')
        .to_owned();
    let ada = id(&ada);
    let both = [ada.as_str(), grace.as_str()];

    for (filter, expected) in [
        // A version as `meta.version` renders it, or just its number.
        (
            format!("meta.version eq {}", json!(version)),
            vec![ada.clone()],
        ),
        (format!("meta.version eq \"{number}\""), vec![ada.clone()]),
        (format!("meta.version ne \"{number}\""), vec![grace.clone()]),
        (format!("id eq \"{ada}\""), vec![ada.clone()]),
        // `id` is caseExact: a capitalised id names nothing, on either path.
        (format!("id eq \"{}\"", ada.to_uppercase()), vec![]),
        (
            format!("id ne \"{}\"", ada.to_uppercase()),
            vec![ada.clone(), grace.clone()],
        ),
        (
            r#"meta.resourceType sw "Us""#.to_owned(),
            vec![ada.clone(), grace.clone()],
        ),
        (r#"meta.resourceType eq "Group""#.to_owned(), vec![]),
    ] {
        let mut found = searched(&app, &acme, &filter).await;
        found.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(found, expected, "search {filter}");
        let rows = rows_of(&app, &acme, &filter).await;
        let mut seen = readable(&app, &rows, &both).await;
        seen.sort();
        assert_eq!(seen, expected, "row filter {filter}");
    }
}

#[tokio::test]
async fn a_member_filter_with_a_capitalised_id_removes_the_member_it_names() {
    let app = crate::helpers::spawn_app().await;
    let acme = app.tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let grace = id(&app.create_user(&acme, "grace").await);
    let group = id(&app.create_group(&acme, "Admins", &[&ada, &grace]).await);
    let filter = format!(
        "members[type eq \"User\" and value eq \"{}\"]",
        ada.to_uppercase()
    );

    let found = app
        .get_request(&acme, "/Groups")
        .query(&[("filter", filter.as_str())])
        .send()
        .await
        .expect("GET sent");
    assert_eq!(found.status(), 200);
    let found: Value = found.json().await.expect("json");
    assert_eq!(found["totalResults"], 1, "{filter}");
    let patched = app
        .patch(
            &acme,
            &format!("/Groups/{group}"),
            json!([{"op": "remove", "path": filter}]),
        )
        .await;
    assert_eq!(patched.status(), 204);

    let after = app.get_json(&acme, &format!("/Groups/{group}")).await;
    let members: Vec<&str> = after["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["value"].as_str().expect("value"))
        .collect();
    assert_eq!(members, vec![grace.as_str()]);
}

#[tokio::test]
async fn times_compare_as_rendered_in_a_search_and_a_row_filter() {
    let app = crate::helpers::spawn_app().await;
    let acme = app.tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    // Stored with microseconds, rendered with milliseconds: the filter a client writes from
    // what it read must judge the value it read.
    let seen = ada["meta"]["lastModified"]
        .as_str()
        .expect("lastModified")
        .to_owned();
    let ada = id(&ada);

    for (op, finds) in [
        ("eq", true),
        ("ne", false),
        ("gt", false),
        ("ge", true),
        ("lt", false),
        ("le", true),
    ] {
        let filter = format!("meta.lastModified {op} \"{seen}\"");
        let expected = if finds { vec![ada.clone()] } else { vec![] };
        assert_eq!(
            searched(&app, &acme, &filter).await,
            expected,
            "search {filter}"
        );
        let rows = rows_of(&app, &acme, &filter).await;
        assert_eq!(
            readable(&app, &rows, &[&ada]).await,
            expected,
            "row filter {filter}"
        );
    }
}
