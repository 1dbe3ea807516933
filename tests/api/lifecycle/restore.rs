//! A restore brings a soft-deleted resource back with its id, created date and the
//! memberships whose other side still exists, at a new version, as a `created` event; the
//! tenant admin and the operator may restore, a taken userName refuses it with 409.

use reqwest::Method;
use serde_json::json;

use super::support::{archived_ids, restore, soft_delete};
use crate::admin_support::{admin_call, admin_token};
use crate::events::support::{all_events, reader, types};
use crate::helpers::{assert_scim_error, id, member_ids, spawn_tenant};

#[tokio::test]
async fn a_restored_user_keeps_its_id_created_date_and_groups() {
    // Arrange: ada in eng and ops; ops is deleted while ada is archived.
    let (app, acme) = spawn_tenant("acme").await;
    soft_delete(&app, "acme", 30).await;
    let created = app.create_user(&acme, "ada").await;
    let ada = id(&created);
    let eng = id(&app.create_group(&acme, "eng", &[&ada]).await);
    let ops = id(&app.create_group(&acme, "ops", &[&ada]).await);
    let before = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(
        app.delete(&acme, &format!("/Users/{ada}")).await.status(),
        204
    );
    assert_eq!(
        app.delete(&acme, &format!("/Groups/{ops}")).await.status(),
        204
    );

    // Act
    let (status, restored) = restore(&app, "acme", &ada).await;

    // Assert
    assert_eq!(status, 201, "{restored}");
    assert_eq!(restored["id"], json!(ada));
    let now = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(now["userName"], "ada");
    assert_eq!(now["emails"], before["emails"]);
    assert_eq!(now["meta"]["created"], before["meta"]["created"]);
    assert_ne!(now["meta"]["version"], before["meta"]["version"]);
    let groups: Vec<&str> = now["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["value"].as_str().unwrap())
        .collect();
    assert_eq!(groups, [eng.as_str()], "ops is gone, eng remains");
    let eng_now = app.get_json(&acme, &format!("/Groups/{eng}")).await;
    assert_eq!(member_ids(&eng_now), std::slice::from_ref(&ada));
    let filtered = app
        .get_query_json(&acme, "/Users", &[("filter", "userName eq \"ada\"")])
        .await;
    assert_eq!(filtered["totalResults"], 1);
    assert_eq!(app.total(&acme, "/Users").await, 1, "the count has it back");
    assert!(!archived_ids(&app, "acme").await.contains(&ada));
    // Restoring twice finds nothing left to restore.
    let (again, _) = restore(&app, "acme", &ada).await;
    assert_eq!(again, 404);
}

#[tokio::test]
async fn a_restored_group_takes_back_its_remaining_members() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    soft_delete(&app, "acme", 30).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let bob = id(&app.create_user(&acme, "bob").await);
    let eng = id(&app.create_group(&acme, "eng", &[&ada, &bob]).await);
    assert_eq!(
        app.delete(&acme, &format!("/Groups/{eng}")).await.status(),
        204
    );
    assert_eq!(
        app.delete(&acme, &format!("/Users/{bob}")).await.status(),
        204
    );

    // Act
    let (status, restored) = restore(&app, "acme", &eng).await;

    // Assert
    assert_eq!(status, 201, "{restored}");
    let group = app.get_json(&acme, &format!("/Groups/{eng}")).await;
    assert_eq!(group["displayName"], "eng");
    assert_eq!(member_ids(&group), [ada]);
}

#[tokio::test]
async fn a_restore_whose_user_name_was_taken_is_refused_and_stays_archived() {
    // Arrange: ada deleted, then a new ada created.
    let (app, acme) = spawn_tenant("acme").await;
    soft_delete(&app, "acme", 30).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    assert_eq!(
        app.delete(&acme, &format!("/Users/{ada}")).await.status(),
        204
    );
    let newcomer = id(&app.create_user(&acme, "ADA").await);

    // Act
    let (status, error) = restore(&app, "acme", &ada).await;

    // Assert
    assert_eq!(status, 409, "{error}");
    assert_eq!(error["scimType"], "uniqueness");
    assert_eq!(archived_ids(&app, "acme").await, std::slice::from_ref(&ada));
    assert_eq!(app.total(&acme, "/Users").await, 1);
    // Once the newcomer leaves, the restore goes through.
    assert_eq!(
        app.delete(&acme, &format!("/Users/{newcomer}"))
            .await
            .status(),
        204
    );
    assert_eq!(restore(&app, "acme", &ada).await.0, 201);
}

#[tokio::test]
async fn the_tenant_admin_restores_and_each_step_is_an_event_and_an_audit_entry() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;
    let events = reader(&app, &acme).await;
    let policy = json!({"deletion": "soft", "retentionDays": 10});
    let set = app
        .client
        .put(format!("{}/t/acme/admin/v1/lifecycle", app.origin))
        .bearer_auth(&admin.token)
        .json(&policy)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let ada = id(&app.create_user(&acme, "ada").await);
    let eng = id(&app.create_group(&acme, "eng", &[&ada]).await);
    assert_eq!(
        app.delete(&acme, &format!("/Users/{ada}")).await.status(),
        204
    );

    // Act
    let (status, restored, _) = admin_call(
        &app,
        Method::POST,
        "acme",
        &format!("/archive/{ada}/restore"),
        &admin.token,
    )
    .await;

    // Assert
    assert_eq!(status, 201, "{restored}");
    let (_, archive, _) = admin_call(&app, Method::GET, "acme", "/archive", &admin.token).await;
    assert_eq!(archive["resources"], json!([]));
    let all = all_events(&app, "acme", &events).await;
    assert_eq!(
        types(&all),
        [
            "user.created",
            "group.created",
            "user.deleted",
            "group.updated",
            "user.created",
            "group.updated",
        ]
    );
    let rejoined = &all[5];
    assert_eq!(rejoined["resource"]["id"], json!(eng));
    assert_eq!(rejoined["members"]["added"], json!([ada]));
    let (_, audit, _) = admin_call(&app, Method::GET, "acme", "/audit", &admin.token).await;
    let actions: Vec<(&str, Option<&str>)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["targetId"].as_str()))
        .collect();
    assert!(
        actions.contains(&("user.delete", Some(ada.as_str()))),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("user.restore", Some(ada.as_str()))),
        "{actions:?}"
    );
    assert!(
        actions.iter().any(|(a, _)| *a == "lifecycle.update"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_tenant_admin_cannot_restore_another_tenants_resource() {
    // Arrange: ada archived in globex; acme's admin tries.
    let (app, _acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    soft_delete(&app, "globex", 30).await;
    let ada = id(&app.create_user(&globex, "ada").await);
    assert_eq!(
        app.delete(&globex, &format!("/Users/{ada}")).await.status(),
        204
    );
    let admin = admin_token(&app, "acme").await;

    // Act
    let (status, body, _) = admin_call(
        &app,
        Method::POST,
        "acme",
        &format!("/archive/{ada}/restore"),
        &admin.token,
    )
    .await;

    // Assert
    assert_eq!(status, 404, "{body}");
    let gone = app.get(&globex, &format!("/Users/{ada}")).await;
    assert_scim_error(gone, 404, None).await;
    assert_eq!(archived_ids(&app, "globex").await, [ada]);
}
