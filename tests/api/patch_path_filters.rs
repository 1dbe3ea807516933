//! PATCH path value filters select exactly what the same filter finds in a search: quoted
//! booleans as Entra ID sends them, case rules, numbers and dateTimes read by type.

use serde_json::{Value, json};

use crate::helpers::{
    TestApp, TestTenant, USER_SCHEMA, assert_scim_error, id, listed, send, spawn_tenant,
};

/// A fresh app and tenant `acme` holding the user `body`, with the user's id.
async fn acme_with(body: Value) -> (TestApp, TestTenant, String) {
    let (app, acme) = spawn_tenant("acme").await;
    let id = id(&app.create_at(&acme, "/Users", &body).await);
    (app, acme, id)
}

/// The ids a search with `filter` returns.
async fn found(app: &TestApp, tenant: &TestTenant, filter: &str) -> Vec<String> {
    let body = app
        .get_query_json(tenant, "/Users", &[("filter", filter)])
        .await;
    listed(&body, "id")
}

#[tokio::test]
async fn entra_role_replace_with_a_quoted_primary_updates_the_one_role() {
    let (app, acme, id) = acme_with(json!({
        "schemas": [USER_SCHEMA],
        "userName": "ada",
        "roles": [{"value": "Admin", "primary": true}],
    }))
    .await;

    // The request Entra ID sends when a user's app role changes, with the other changes of
    // the same sync cycle.
    let response = app
        .patch(
            &acme,
            &format!("/Users/{id}"),
            json!([
                {"op": "Replace", "path": "displayName", "value": "Ada Lovelace"},
                {"op": "Replace", "path": "roles[primary eq \"True\"].value", "value": "User"},
                {"op": "Add", "path": "title", "value": "Countess"},
            ]),
        )
        .await;

    assert_eq!(response.status(), 200);
    let patched: Value = response.json().await.unwrap();
    assert_eq!(
        patched["roles"],
        json!([{"value": "User", "primary": true}])
    );
    assert_eq!(patched["displayName"], "Ada Lovelace");
    assert_eq!(patched["title"], "Countess");
}

#[tokio::test]
async fn a_path_filter_selects_the_elements_the_same_search_filter_finds() {
    let (app, acme, id) = acme_with(json!({
        "schemas": [USER_SCHEMA],
        "userName": "grace",
        "emails": [
            {"value": "g@work.example", "type": "Work", "primary": true},
            {"value": "g@home.example", "type": "home", "primary": false},
        ],
    }))
    .await;

    // Each bracket finds the user in a search, so as a PATCH path it must select the email
    // it found there, never create another one.
    for (bracket, expected_type) in [
        (r#"primary eq "TRUE""#, "Work"),
        (r#"primary eq "false""#, "home"),
        (r#"type eq "WORK""#, "Work"),
        (r#"value eq "G@HOME.example" and primary ne "True""#, "home"),
    ] {
        assert_eq!(
            found(&app, &acme, &format!("emails[{bracket}]")).await,
            std::slice::from_ref(&id),
            "{bracket}"
        );
        let response = app.patch(&acme,
            &format!("/Users/{id}"),
            json!([{"op": "replace", "path": format!("emails[{bracket}].display"), "value": bracket}]))
        .await;
        assert_eq!(response.status(), 200, "{bracket}");
        let patched: Value = response.json().await.unwrap();
        let emails = patched["emails"].as_array().unwrap();
        assert_eq!(emails.len(), 2, "{bracket}: {patched}");
        let touched: Vec<&Value> = emails.iter().filter(|e| e["display"] == bracket).collect();
        assert_eq!(touched.len(), 1, "{bracket}: {patched}");
        assert_eq!(touched[0]["type"], expected_type, "{bracket}");
    }
}

#[tokio::test]
async fn a_path_filter_literal_of_the_wrong_type_is_an_invalid_filter_as_in_a_search() {
    let (app, acme, id) = acme_with(
        json!({"schemas": [USER_SCHEMA], "userName": "lin", "emails": [{"value": "l@x.example"}]}),
    )
    .await;

    for bracket in [r#"primary co "t""#, "value eq true", "type gt 5"] {
        let search = send(
            app.get_request(&acme, "/Users")
                .query(&[("filter", format!("emails[{bracket}]"))]),
        )
        .await;
        assert_scim_error(search, 400, Some("invalidFilter")).await;
        let patch = app
            .patch(
                &acme,
                &format!("/Users/{id}"),
                json!([{"op": "replace", "path": format!("emails[{bracket}].type"), "value": "x"}]),
            )
            .await;
        assert_scim_error(patch, 400, Some("invalidFilter")).await;
    }
}
