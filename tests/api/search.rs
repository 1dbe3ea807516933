//! `POST .search` on a resource type and at the SCIM root (RFC 7644 §3.4.3).

use serde_json::{Value, json};

use crate::helpers::{LIST_RESPONSE, SEARCH_REQUEST, assert_scim_error, spawn_tenant, texts};

#[tokio::test]
async fn search_on_users_filters_sorts_and_pages_like_get() {
    let (app, acme) = spawn_tenant("acme").await;
    for name in ["bob", "ann", "abe", "cid"] {
        app.create_user(&acme, name).await;
    }

    let response = app
        .post(
            &acme,
            "/Users/.search",
            &json!({"schemas": [SEARCH_REQUEST], "filter": "userName sw \"a\" or userName eq \"cid\"", "sortBy": "userName", "sortOrder": "descending", "startIndex": 1, "count": 2}),
        ).await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["schemas"], json!([LIST_RESPONSE]));
    assert_eq!(body["totalResults"], 3);
    let names = texts(&body, "Resources", "userName");
    assert_eq!(names, ["cid", "ann"]);
}

#[tokio::test]
async fn search_at_the_root_pages_across_users_and_groups() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ann").await;
    app.create_user(&acme, "bob").await;
    app.create_group(&acme, "Admins", &[]).await;

    let everything: Value = app
        .post_json(&acme, "/.search", &json!({"schemas": [SEARCH_REQUEST]}))
        .await;
    let second_page: Value = app
        .post_json(
            &acme,
            "/.search",
            &json!({"schemas": [SEARCH_REQUEST], "startIndex": 2, "count": 2}),
        )
        .await;
    let users_only: Value = app
        .post_json(
            &acme,
            "/.search",
            &json!({"schemas": [SEARCH_REQUEST], "filter": "userName eq \"bob\""}),
        )
        .await;

    assert_eq!(everything["totalResults"], 3);
    assert_eq!(second_page["totalResults"], 3);
    let types: Vec<&str> = second_page["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["meta"]["resourceType"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["User", "Group"]);
    assert_eq!(users_only["totalResults"], 1);
    assert_eq!(users_only["Resources"][0]["userName"], "bob");
}

#[tokio::test]
async fn search_without_its_schema_or_with_a_bad_filter_is_refused() {
    let (app, acme) = spawn_tenant("acme").await;

    let no_schema = app
        .post(&acme, "/Users/.search", &json!({"filter": "userName pr"}))
        .await;
    let bad_filter = app
        .post(
            &acme,
            "/.search",
            &json!({"schemas": [SEARCH_REQUEST], "filter": "shoeSize gt 3"}),
        )
        .await;
    let get = app.get(&acme, "/Users/.search").await;

    assert_scim_error(no_schema, 400, Some("invalidSyntax")).await;
    assert_scim_error(bad_filter, 400, Some("invalidFilter")).await;
    assert_scim_error(get, 405, None).await;
}
