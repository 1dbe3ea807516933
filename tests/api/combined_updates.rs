//! Concurrent PUTs and PATCHes of Users share transactions (`update_combiner`): each still
//! answers for itself, none is lost or applied twice, a taken userName fails only its own
//! update, and every committed update leaves its event.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::events::support::{all_events, reader};
use crate::helpers::{id, spawn_tenant, user};

#[tokio::test]
async fn concurrent_puts_and_patches_of_different_users_each_land_once() {
    let (app, acme) = spawn_tenant("acme").await;
    let mut ids = Vec::new();
    for i in 0..24 {
        ids.push(id(&app.create_user(&acme, &format!("user-{i}")).await));
    }
    let token = reader(&app, &acme).await;
    let before = all_events(&app, "acme", &token).await.len();

    let requests = ids.iter().enumerate().map(|(i, uid)| {
        let path = format!("/Users/{uid}");
        let request = if i % 2 == 0 {
            let mut body = user(&format!("user-{i}"));
            body["title"] = json!(format!("put-{i}"));
            app.put_request(&acme, &path, &body)
        } else {
            let ops = json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "title", "value": format!("patch-{i}")}]
            });
            app.patch_request(&acme, &path, &ops)
        };
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    });
    let answers = join_all(requests).await;

    for (i, (status, body)) in answers.iter().enumerate() {
        let want = if i % 2 == 0 { "put" } else { "patch" };
        assert_eq!(*status, 200, "{i}: {body}");
        assert_eq!(body["title"], format!("{want}-{i}"), "{i}: {body}");
        assert_eq!(body["meta"]["version"], "W/\"2\"", "{i}: {body}");
        let stored = app.get_json(&acme, &format!("/Users/{}", ids[i])).await;
        assert_eq!(stored["title"], format!("{want}-{i}"));
        assert_eq!(stored["meta"]["version"], "W/\"2\"");
    }
    // The value index was rewritten with the documents: a filter on the new title finds each.
    let found = app
        .total(&acme, "/Users?filter=title%20sw%20%22p%22&count=0")
        .await;
    assert_eq!(found, 24);
    let events = all_events(&app, "acme", &token).await;
    let updates: Vec<&Value> = events[before..].iter().collect();
    assert_eq!(updates.len(), 24, "one event per update");
    assert!(updates.iter().all(|e| e["type"] == "user.updated"));
}

#[tokio::test]
async fn a_taken_user_name_fails_only_its_own_update() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "taken").await;
    let mut ids = Vec::new();
    for i in 0..16 {
        ids.push(id(&app.create_user(&acme, &format!("user-{i}")).await));
    }

    // Every fourth renames to the stored name; two pairs race for the same new name.
    let names: Vec<String> = (0..16)
        .map(|i| match i {
            _ if i % 4 == 0 => "TAKEN".to_owned(),
            1 | 2 => "twin-a".to_owned(),
            5 | 6 => "twin-b".to_owned(),
            _ => format!("renamed-{i}"),
        })
        .collect();
    let requests = ids.iter().zip(&names).map(|(uid, name)| {
        let request = app.put_request(&acme, &format!("/Users/{uid}"), &user(name));
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = join_all(requests).await;

    for (name, status) in names.iter().zip(&statuses) {
        match name.as_str() {
            "TAKEN" => assert_eq!(*status, 409, "{name}"),
            "twin-a" | "twin-b" => assert!(*status == 200 || *status == 409, "{name}"),
            _ => assert_eq!(*status, 200, "{name}"),
        }
    }
    for twin in ["twin-a", "twin-b"] {
        let mut answers: Vec<u16> = names
            .iter()
            .zip(&statuses)
            .filter(|(n, _)| *n == twin)
            .map(|(_, s)| *s)
            .collect();
        answers.sort_unstable();
        assert_eq!(answers, [200, 409], "{twin}");
        let filter = format!("/Users?filter=userName%20eq%20%22{twin}%22&count=0");
        assert_eq!(app.total(&acme, &filter).await, 1, "{twin}");
    }
    // The refused ones kept their names and versions.
    for (i, uid) in ids.iter().enumerate().filter(|(i, _)| i % 4 == 0) {
        let stored = app.get_json(&acme, &format!("/Users/{uid}")).await;
        assert_eq!(stored["userName"], format!("user-{i}"));
        assert_eq!(stored["meta"]["version"], "W/\"1\"");
    }
}

#[tokio::test]
async fn concurrent_patches_of_one_user_are_each_applied_once() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", id(&created));
    let mut want: Vec<String> = created["emails"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["value"].as_str().unwrap().to_owned())
        .collect();
    want.extend((0..6).map(|i| format!("ada{i}@example.com")));
    want.sort_unstable();

    let requests = (0..6).map(|i| {
        let ops = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "emails",
                            "value": [{"value": format!("ada{i}@example.com"), "type": "work"}]}]
        });
        let request = app.patch_request(&acme, &path, &ops);
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = join_all(requests).await;

    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 204),
        "{statuses:?}"
    );
    let stored = app.get_json(&acme, &path).await;
    let mut emails: Vec<&str> = stored["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    emails.sort_unstable();
    assert_eq!(emails, want);
    assert_eq!(stored["meta"]["version"], "W/\"7\"");
}

#[tokio::test]
async fn an_update_with_a_stale_if_match_is_refused_and_writes_nothing() {
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let path = format!("/Users/{ada}");
    let mut body = user("ada");
    body["title"] = json!("first");
    let first = app.put_request(&acme, &path, &body).send().await.unwrap();
    assert_eq!(first.status(), 200);

    body["title"] = json!("stale");
    let stale = app
        .put_request(&acme, &path, &body)
        .header("If-Match", "W/\"1\"")
        .send()
        .await
        .unwrap();

    assert_eq!(stale.status(), 412);
    let stored = app.get_json(&acme, &path).await;
    assert_eq!(stored["title"], "first");
    assert_eq!(stored["meta"]["version"], "W/\"2\"");
}
