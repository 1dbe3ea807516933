//! `GET /Users/{id}` and `GET /Groups/{id}` come from the cache (in-process here, two-level
//! with `TEST_REDIS_URL`) yet answer exactly what the database would: shaped and filtered for
//! each caller, and fresh after any write that changes what they show.

use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::tokens::TokenRequest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, assert_scim_error, spawn_app, spawn_tenant};
use crate::policy::{assert_no_unreadable, create, org_user, partner_story};

async fn patch(app: &TestApp, tenant: &TestTenant, path: &str, operations: Value) {
    let response = app.patch(tenant, path, operations).await;
    assert!(response.status().is_success(), "PATCH {path}");
}

fn group_names(user: &Value) -> Vec<String> {
    let mut names: Vec<String> = user["groups"]
        .as_array()
        .map(|groups| {
            groups
                .iter()
                .map(|g| g["display"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn a_cached_read_is_still_filtered_and_shaped_for_each_caller() {
    // Arrange: the operator's reads put the full resources in the cache.
    let app = spawn_app().await;
    let (operator, partner) = partner_story(&app, json!({"org": "partner-a"})).await;
    let mine = create(&app, &operator, &org_user("a1", "partner-a")).await;
    let theirs = create(&app, &operator, &org_user("b1", "partner-b")).await;
    let mine_path = format!("/Users/{}", mine["id"].as_str().unwrap());
    let theirs_path = format!("/Users/{}", theirs["id"].as_str().unwrap());
    for path in [&mine_path, &theirs_path] {
        assert_eq!(app.get_json(&operator, path).await["title"], "Secret title");
    }
    let groups_only = app
        .issue_with(
            &operator.slug,
            TokenRequest {
                name: scimgate_domain::admin_name::AdminName::parse("groups").unwrap(),
                scopes: vec![Scope::GroupsRead],
                ..Default::default()
            },
        )
        .await;
    let groups_only = operator.with_token(groups_only);

    // Act
    let partner_mine = app.get(&partner, &mine_path).await;
    let partner_theirs = app.get(&partner, &theirs_path).await;
    let projected = app
        .get_json(&operator, &format!("{mine_path}?attributes=userName"))
        .await;
    let out_of_scope = app.get(&groups_only, &mine_path).await;
    let etag = app.get(&operator, &mine_path).await.headers()["etag"].clone();
    let unchanged = app
        .get_request(&operator, &mine_path)
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(partner_mine.status(), 200);
    assert_no_unreadable(&partner_mine.json().await.unwrap());
    assert_scim_error(partner_theirs, 404, None).await;
    assert_eq!(projected["userName"], "a1");
    assert!(projected.get("name").is_none(), "{projected}");
    assert!(projected.get("title").is_none(), "{projected}");
    assert_scim_error(out_of_scope, 403, None).await;
    assert_eq!(unchanged.status(), 304);
}

#[tokio::test]
async fn reads_show_every_write_that_changes_them_even_through_other_resources() {
    // Arrange: ada is in `inner`, `inner` in `outer`; reading ada caches both memberships.
    let (app, tenant) = spawn_tenant("acme").await;
    let ada = app.create_user(&tenant, "ada").await;
    let ada_id = ada["id"].as_str().unwrap();
    let inner = app.create_group(&tenant, "inner", &[ada_id]).await;
    let inner_id = inner["id"].as_str().unwrap();
    let outer = app.create_group(&tenant, "outer", &[inner_id]).await;
    let outer_id = outer["id"].as_str().unwrap();
    let ada_path = format!("/Users/{ada_id}");
    let inner_path = format!("/Groups/{inner_id}");
    assert_eq!(
        group_names(&app.get_json(&tenant, &ada_path).await),
        ["inner", "outer"]
    );
    assert_eq!(
        app.get_json(&tenant, &inner_path).await["members"][0]["display"],
        "ada"
    );

    // Act / Assert: renaming a group shows on its members.
    patch(
        &app,
        &tenant,
        &format!("/Groups/{outer_id}"),
        json!([{"op": "replace", "path": "displayName", "value": "outermost"}]),
    )
    .await;
    assert_eq!(
        group_names(&app.get_json(&tenant, &ada_path).await),
        ["inner", "outermost"]
    );

    // Renaming a user shows in the groups listing it.
    patch(
        &app,
        &tenant,
        &ada_path,
        json!([{"op": "replace", "path": "displayName", "value": "Ada L."}]),
    )
    .await;
    assert_eq!(
        app.get_json(&tenant, &inner_path).await["members"][0]["display"],
        "Ada L."
    );

    // Removing `inner` from `outer` drops the indirect membership.
    patch(
        &app,
        &tenant,
        &format!("/Groups/{outer_id}"),
        json!([{"op": "remove", "path": format!("members[value eq \"{inner_id}\"]")}]),
    )
    .await;
    assert_eq!(
        group_names(&app.get_json(&tenant, &ada_path).await),
        ["inner"]
    );

    // Deleting the user is a 404, and the group no longer lists it.
    let deleted = app.delete(&tenant, &ada_path).await;
    assert_eq!(deleted.status(), 204);
    assert_scim_error(app.get(&tenant, &ada_path).await, 404, None).await;
    let inner_now = app.get_json(&tenant, &inner_path).await;
    assert!(
        inner_now["members"]
            .as_array()
            .is_none_or(|members| members.is_empty()),
        "{inner_now}"
    );
}
