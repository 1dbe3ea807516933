//! The events API: paging by cursor, filters, variants, bad input, who may read, and tenant
//! isolation.

use serde_json::{Value, json};

use super::support::{all_events, fetch, id, issue, page, reader, types};
use crate::helpers::{assert_scim_error, spawn_tenant};

#[tokio::test]
async fn pages_follow_the_cursor_and_filters_narrow_them() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let grace = id(&app.create_user(&acme, "grace").await);
    app.create_group(&acme, "eng", &[&grace]).await;
    let deleted = app.delete(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(deleted.status(), 204);

    let first: Value = page(&app, "acme", &token, "limit=2").await;
    assert_eq!(
        types(first["events"].as_array().unwrap()),
        ["user.created", "user.created"]
    );
    assert_eq!(first["hasMore"], json!(true));
    assert_eq!(first["nextCursor"], json!("2"));
    let rest: Value = page(&app, "acme", &token, "after=2").await;
    assert_eq!(
        types(rest["events"].as_array().unwrap()),
        ["group.created", "user.deleted"]
    );
    assert_eq!(rest["hasMore"], json!(false));
    assert_eq!(rest["nextCursor"], json!("4"));

    let head: Value = page(&app, "acme", &token, "limit=0").await;
    assert_eq!(head["events"], json!([]));
    assert_eq!(
        head["nextCursor"],
        json!("4"),
        "limit=0 tells where to follow from"
    );
    let caught_up: Value = page(&app, "acme", &token, "after=4").await;
    assert_eq!(caught_up["events"], json!([]));
    assert_eq!(caught_up["nextCursor"], json!("4"));

    let groups: Value = page(&app, "acme", &token, "resourceType=Group").await;
    assert_eq!(
        types(groups["events"].as_array().unwrap()),
        ["group.created"]
    );
    assert_eq!(
        groups["nextCursor"],
        json!("4"),
        "a filtered read skips what it filtered out"
    );
    let typed = fetch(&app, "acme", &token, "types=user.deleted,group.created").await;
    let typed: Value = typed.json().await.unwrap();
    assert_eq!(
        types(typed["events"].as_array().unwrap()),
        ["group.created", "user.deleted"]
    );

    let notice: Value = page(&app, "acme", &token, "variant=notice").await;
    let created = &notice["events"][0];
    assert_eq!(
        created["eventUri"],
        json!("urn:ietf:params:scim:event:prov:create:notice")
    );
    assert!(created.get("data").is_none(), "{created}");
    assert!(
        created["attributes"]
            .as_array()
            .unwrap()
            .contains(&json!("userName"))
    );
}

#[tokio::test]
async fn bad_queries_get_scim_errors() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    app.create_user(&acme, "ada").await;
    for (query, scim_type) in [
        ("after=abc", "invalidCursor"),
        ("after=-1", "invalidCursor"),
        ("after=99", "invalidCursor"),
        ("types=user.exploded", "invalidValue"),
        ("resourceType=Printer", "invalidValue"),
        ("limit=5000", "invalidValue"),
        ("limit=ten", "invalidValue"),
        ("variant=loud", "invalidValue"),
    ] {
        let response = fetch(&app, "acme", &token, query).await;
        let body = assert_scim_error(response, 400, Some(scim_type)).await;
        assert!(!body["detail"].as_str().unwrap().is_empty(), "{query}");
    }
}

#[tokio::test]
async fn only_unrestricted_holders_of_the_events_scope_read_and_only_their_tenant() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    app.create_user(&acme, "ada").await;
    app.create_user(&globex, "hank").await;

    // The IdP's default token writes SCIM but reads no events.
    let refused = fetch(&app, "acme", &acme.token, "").await;
    assert_scim_error(refused, 403, None).await;
    let admin = issue(
        &app,
        &acme,
        json!({"name": "admin", "scopes": ["scim:admin"]}),
    )
    .await;
    let as_admin = all_events(&app, "acme", &admin).await;
    assert_eq!(types(&as_admin), ["user.created"]);
    let restricted = issue(
        &app,
        &acme,
        json!({"name": "partner", "scopes": ["scim:events:read"],
               "policy": {"userFilter": "title eq \"x\""}}),
    )
    .await;
    assert_scim_error(fetch(&app, "acme", &restricted, "").await, 403, None).await;

    let globex_reader = reader(&app, &globex).await;
    assert_scim_error(fetch(&app, "acme", &globex_reader, "").await, 401, None).await;
    let own = all_events(&app, "globex", &globex_reader).await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["data"]["userName"], json!("hank"));
    assert_eq!(own[0]["tenant"], json!("globex"));
    assert_eq!(
        own[0]["sequence"],
        json!(1),
        "each tenant numbers its own events"
    );
}

#[tokio::test]
async fn the_service_provider_config_advertises_the_events() {
    let (app, acme) = spawn_tenant("acme").await;
    let config: Value = app.get_json(&acme, "/ServiceProviderConfig").await;
    let events = &config["securityEvents"];
    assert_eq!(events["asyncRequest"], json!("none"));
    let uris = events["eventUris"].as_array().unwrap();
    for uri in [
        "urn:ietf:params:scim:event:prov:create:full",
        "urn:ietf:params:scim:event:prov:patch:notice",
        "urn:ietf:params:scim:event:prov:delete",
        "urn:ietf:params:scim:event:prov:deactivate",
    ] {
        assert!(uris.contains(&json!(uri)), "{uri} missing from {uris:?}");
    }
    // RFC 9967 §7.2 lists SCIM event URIs only: scimgate's own purge URI is sent, not listed.
    for uri in uris {
        let uri = uri.as_str().unwrap();
        assert!(uri.starts_with("urn:ietf:params:scim:event:"), "{uri}");
    }
}
