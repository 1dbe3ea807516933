//! Which writes leave which events: exactly the committed ones, in sequence order, with what
//! changed, the previous values, and never a password.

use serde_json::{Value, json};

use super::support::{all_events, id, reader, types};
use crate::helpers::{GROUP_SCHEMA, bulk, bulk_statuses, spawn_tenant, user};

fn sequences(events: &[Value]) -> Vec<i64> {
    events
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn every_kind_of_write_leaves_its_events_in_sequence() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;

    let mut body = user("ada");
    body["password"] = json!("Sup3r-Secret-Passw0rd");
    body["title"] = json!("Engineer");
    let created = app.post(&acme, "/Users", &body).await;
    assert_eq!(created.status(), 201);
    let ada = id(&created.json().await.unwrap());
    let mut replaced = user("ada");
    replaced["title"] = json!("Manager");
    replaced["password"] = json!("An0ther-Secret-Passw0rd");
    let put = app.put_request(&acme, &format!("/Users/{ada}"), &replaced);
    assert_eq!(put.send().await.unwrap().status(), 200);
    let deactivate = json!([{"op": "replace", "path": "active", "value": false}]);
    assert_eq!(
        app.patch(&acme, &format!("/Users/{ada}"), deactivate)
            .await
            .status()
            .as_u16(),
        200
    );
    let group = id(&app.create_group(&acme, "eng", &[&ada]).await);
    let remove = json!([{"op": "remove", "path": format!("members[value eq \"{ada}\"]")}]);
    assert_eq!(
        app.patch(&acme, &format!("/Groups/{group}"), remove)
            .await
            .status()
            .as_u16(),
        204
    );
    let deleted = app.delete(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(deleted.status(), 204);

    let events = all_events(&app, "acme", &token).await;
    assert_eq!(
        types(&events),
        [
            "user.created",
            "user.updated",
            "user.updated",
            "user.deactivated",
            "group.created",
            "group.updated",
            "user.deleted"
        ]
    );
    assert_eq!(sequences(&events), (1..=7).collect::<Vec<_>>());
    let uris: Vec<&str> = events
        .iter()
        .map(|e| e["eventUri"].as_str().unwrap())
        .collect();
    assert_eq!(uris[0], "urn:ietf:params:scim:event:prov:create:full");
    assert_eq!(uris[1], "urn:ietf:params:scim:event:prov:put:full");
    assert_eq!(uris[2], "urn:ietf:params:scim:event:prov:patch:full");
    assert_eq!(uris[3], "urn:ietf:params:scim:event:prov:deactivate");
    assert_eq!(uris[6], "urn:ietf:params:scim:event:prov:delete");

    let (create, put) = (&events[0], &events[1]);
    assert_eq!(create["resource"]["id"], json!(ada));
    assert_eq!(create["resource"]["uri"], json!(format!("/Users/{ada}")));
    assert_eq!(create["resource"]["version"], json!("W/\"1\""));
    assert_eq!(create["data"]["userName"], json!("ada"));
    assert_eq!(create["data"]["id"], json!(ada));
    assert_eq!(put["resource"]["version"], json!("W/\"2\""));
    let changed = put["attributes"].as_array().unwrap();
    assert!(changed.contains(&json!("title")) && changed.contains(&json!("password")));
    assert_eq!(put["previousAttributes"]["title"], json!("Engineer"));
    assert_eq!(events[2]["previousAttributes"]["active"], json!(true));
    assert_eq!(
        events[3]["txn"], events[2]["txn"],
        "one PATCH, one transaction"
    );
    assert_ne!(events[3]["id"], events[2]["id"]);
    assert_eq!(events[4]["members"]["added"], json!([ada]));
    assert_eq!(events[5]["members"]["removed"], json!([ada]));
    assert_eq!(events[5]["attributes"], json!(["members"]));
    assert!(events[6].get("data").is_none(), "a delete carries no data");

    let everything = serde_json::to_string(&events).unwrap();
    assert!(
        !everything.contains("Passw0rd"),
        "a password leaked: {everything}"
    );
    assert!(!everything.contains("$argon2"), "a password hash leaked");
}

#[tokio::test]
async fn refused_failed_and_no_op_writes_leave_no_event() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let path = format!("/Users/{ada}");

    let duplicate = app.post(&acme, "/Users", &user("ada")).await;
    assert_eq!(duplicate.status(), 409);
    let stale = app
        .put_request(&acme, &path, &user("ada"))
        .header("If-Match", "W/\"99\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let same = json!([{"op": "replace", "path": "userName", "value": "ada"}]);
    assert_eq!(app.patch(&acme, &path, same).await.status().as_u16(), 200);
    let group = id(&app.create_group(&acme, "eng", &[&ada]).await);
    let again = json!([{"op": "add", "path": "members", "value": [{"value": ada}]}]);
    assert_eq!(
        app.patch(&acme, &format!("/Groups/{group}"), again)
            .await
            .status()
            .as_u16(),
        204
    );
    let stranger = json!([{"op": "add", "path": "members", "value": [{"value": "2f1c0d0e-8a8b-4c1d-9e2f-000000000000"}]}]);
    assert_eq!(
        app.patch(&acme, &format!("/Groups/{group}"), stranger)
            .await
            .status()
            .as_u16(),
        400
    );

    let events = all_events(&app, "acme", &token).await;
    assert_eq!(types(&events), ["user.created", "group.created"]);
    assert_eq!(sequences(&events), [1, 2]);
}

#[tokio::test]
async fn each_committed_bulk_operation_leaves_its_events_and_a_failed_one_none() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    app.create_user(&acme, "taken").await;
    let request = bulk(json!([
        {"method": "POST", "path": "/Users", "bulkId": "a", "data": user("bulk-a")},
        {"method": "POST", "path": "/Users", "bulkId": "b", "data": user("taken")},
        {"method": "POST", "path": "/Groups", "bulkId": "g", "data": {
            "schemas": [GROUP_SCHEMA],
            "displayName": "bulk", "members": [{"value": "bulkId:a"}]}},
    ]));
    let response = app.post(&acme, "/Bulk", &request).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let statuses = bulk_statuses(&body);
    assert_eq!(statuses, ["201", "409", "201"]);

    let events = all_events(&app, "acme", &token).await;
    assert_eq!(
        types(&events),
        ["user.created", "user.created", "group.created"]
    );
    assert_eq!(events[1]["data"]["userName"], json!("bulk-a"));
    assert_eq!(
        events[2]["members"]["added"],
        json!([events[1]["resource"]["id"]])
    );
    assert_ne!(
        events[1]["txn"], events[2]["txn"],
        "each operation is its own write"
    );
}

#[tokio::test]
async fn concurrent_writes_get_distinct_gapless_sequence_numbers() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    let writes = (0..16).map(|n| {
        let request = app.post_request(&acme, "/Users", &user(&format!("user-{n}")));
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_util::future::join_all(writes).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");

    let events = all_events(&app, "acme", &token).await;
    assert_eq!(sequences(&events), (1..=16).collect::<Vec<_>>());
    let mut names: Vec<&str> = events
        .iter()
        .map(|e| e["data"]["userName"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 16, "every create has exactly one event");
}

#[tokio::test]
async fn deleting_a_member_tells_each_group_it_left() {
    let (app, acme) = spawn_tenant("acme").await;
    let token = reader(&app, &acme).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let eng = id(&app.create_group(&acme, "eng", &[&ada]).await);
    let ops = id(&app.create_group(&acme, "ops", &[&ada]).await);
    let deleted = app.delete(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(deleted.status(), 204);

    let events = all_events(&app, "acme", &token).await;
    let tail = &events[3..];
    assert_eq!(
        types(tail),
        ["user.deleted", "group.updated", "group.updated"]
    );
    let mut groups: Vec<&str> = tail[1..]
        .iter()
        .map(|e| e["resource"]["id"].as_str().unwrap())
        .collect();
    groups.sort_unstable();
    let mut expected = [eng.as_str(), ops.as_str()];
    expected.sort_unstable();
    assert_eq!(groups, expected);
    for left in &tail[1..] {
        assert_eq!(left["members"]["removed"], json!([ada]));
        assert_eq!(left["txn"], tail[0]["txn"], "one write, one transaction");
    }
}
