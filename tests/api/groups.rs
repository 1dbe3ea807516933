//! Groups and membership: members are resolved within the tenant, rendered with `type`,
//! `display` and `$ref`, and mirrored as the readOnly `groups` of each user.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{GROUP_SCHEMA, assert_scim_error, group, id, spawn_tenant, user};

/// The `value`s of a multi-valued attribute (`members` or `groups`), sorted; none when absent.
fn values(resource: &Value, attribute: &str) -> Vec<String> {
    let mut ids: Vec<String> = resource
        .get(attribute)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| item["value"].as_str().expect("value").to_owned())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    ids.sort();
    ids
}

fn entry<'a>(resource: &'a Value, attribute: &str, id: &str) -> &'a Value {
    resource[attribute]
        .as_array()
        .and_then(|items| items.iter().find(|item| item["value"] == id))
        .unwrap_or_else(|| panic!("{id} not in {attribute} of {resource}"))
}

#[tokio::test]
async fn created_group_lists_user_members_with_type_display_and_ref() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let mut with_display_name = user("grace");
    with_display_name["displayName"] = json!("Grace Hopper");
    let grace: Value = app
        .post(&acme, "/Users", &with_display_name)
        .await
        .json()
        .await
        .expect("json body");
    let (ada_id, grace_id) = (id(&ada), id(&grace));

    // Act
    let response = app
        .post(&acme, "/Groups", &group("Admins", &[&ada_id, &grace_id]))
        .await;

    // Assert
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.expect("json body");
    assert_eq!(created["displayName"], "Admins");
    assert_eq!(values(&created, "members"), sorted(&[&ada_id, &grace_id]));
    let ada_member = entry(&created, "members", &ada_id);
    assert_eq!(ada_member["type"], "User");
    assert_eq!(ada_member["display"], "ada", "userName when no displayName");
    assert_eq!(ada_member["$ref"], ada["meta"]["location"]);
    assert_eq!(ada_member["$ref"], format!("{}/Users/{ada_id}", acme.base));
    let grace_member = entry(&created, "members", &grace_id);
    assert_eq!(grace_member["type"], "User");
    assert_eq!(grace_member["display"], "Grace Hopper");
    assert_eq!(grace_member["$ref"], grace["meta"]["location"]);
    let read_back = app
        .get_json(&acme, &format!("/Groups/{}", id(&created)))
        .await;
    assert_eq!(read_back["members"], created["members"]);
}

#[tokio::test]
async fn member_user_shows_the_group_as_a_direct_membership() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada_id = id(&app.create_user(&acme, "ada").await);
    let admins = app.create_group(&acme, "Admins", &[&ada_id]).await;
    let admins_id = id(&admins);

    // Act
    let ada = app.get_json(&acme, &format!("/Users/{ada_id}")).await;

    // Assert
    assert_eq!(values(&ada, "groups"), [admins_id.as_str()]);
    let membership = entry(&ada, "groups", &admins_id);
    assert_eq!(membership["display"], "Admins");
    assert_eq!(membership["type"], "direct");
    assert_eq!(membership["$ref"], admins["meta"]["location"]);
}

#[tokio::test]
async fn group_member_from_another_tenant_is_rejected() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let outsider = id(&app.create_user(&globex, "mallory").await);
    let insider = id(&app.create_user(&acme, "ada").await);

    // Act
    let response = app
        .post(&acme, "/Groups", &group("Admins", &[&insider, &outsider]))
        .await;

    // Assert
    assert_scim_error(response, 400, Some("invalidValue")).await;
    assert_eq!(app.total(&acme, "/Groups").await, 0);
    let mallory = app.get_json(&globex, &format!("/Users/{outsider}")).await;
    assert!(values(&mallory, "groups").is_empty(), "{mallory}");
}

#[tokio::test]
async fn group_member_that_does_not_exist_is_rejected() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ghost = Uuid::now_v7().to_string();

    // Act
    let response = app
        .post(&acme, "/Groups", &group("Admins", &[&ghost]))
        .await;

    // Assert
    let error = assert_scim_error(response, 400, Some("invalidValue")).await;
    assert!(
        error["detail"].as_str().is_some_and(|d| d.contains(&ghost)),
        "detail names the member: {error}"
    );
    assert_eq!(app.total(&acme, "/Groups").await, 0);
}

#[tokio::test]
async fn group_member_that_is_no_uuid_is_rejected() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let response = app.post(&acme, "/Groups", &group("Admins", &["ada"])).await;

    // Assert
    assert_scim_error(response, 400, Some("invalidValue")).await;
    assert_eq!(app.total(&acme, "/Groups").await, 0);
}

#[tokio::test]
async fn replacing_a_group_with_a_foreign_member_keeps_the_old_members() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let outsider = id(&app.create_user(&globex, "mallory").await);
    let ada_id = id(&app.create_user(&acme, "ada").await);
    let admins_id = id(&app.create_group(&acme, "Admins", &[&ada_id]).await);

    // Act
    let response = app
        .put(
            &acme,
            &format!("/Groups/{admins_id}"),
            &group("Admins", &[&outsider]),
        )
        .await;

    // Assert
    assert_scim_error(response, 400, Some("invalidValue")).await;
    let admins = app.get_json(&acme, &format!("/Groups/{admins_id}")).await;
    assert_eq!(values(&admins, "members"), [ada_id]);
}

#[tokio::test]
async fn group_can_be_a_member_of_a_group() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada_id = id(&app.create_user(&acme, "ada").await);
    let ops = app.create_group(&acme, "Ops", &[&ada_id]).await;
    let ops_id = id(&ops);

    // Act
    let staff = app.create_group(&acme, "Staff", &[&ops_id, &ada_id]).await;

    // Assert
    assert_eq!(values(&staff, "members"), sorted(&[&ops_id, &ada_id]));
    let nested = entry(&staff, "members", &ops_id);
    assert_eq!(nested["type"], "Group");
    assert_eq!(nested["display"], "Ops");
    assert_eq!(nested["$ref"], ops["meta"]["location"]);
    assert_eq!(nested["$ref"], format!("{}/Groups/{ops_id}", acme.base));
    assert_eq!(entry(&staff, "members", &ada_id)["type"], "User");
}

#[tokio::test]
async fn put_replaces_the_member_set() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let grace = id(&app.create_user(&acme, "grace").await);
    let linus = id(&app.create_user(&acme, "linus").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada, &grace]).await);

    // Act
    let response = app
        .put(
            &acme,
            &format!("/Groups/{admins}"),
            &group("Admins", &[&grace, &linus]),
        )
        .await;

    // Assert
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.expect("json body");
    assert_eq!(values(&replaced, "members"), sorted(&[&grace, &linus]));
    let read_back = app.get_json(&acme, &format!("/Groups/{admins}")).await;
    assert_eq!(values(&read_back, "members"), sorted(&[&grace, &linus]));
    let ada_now = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert!(values(&ada_now, "groups").is_empty(), "{ada_now}");
    let grace_now = app.get_json(&acme, &format!("/Users/{grace}")).await;
    assert_eq!(values(&grace_now, "groups"), [admins.as_str()]);
    let linus_now = app.get_json(&acme, &format!("/Users/{linus}")).await;
    assert_eq!(values(&linus_now, "groups"), [admins]);
}

#[tokio::test]
async fn put_without_members_empties_the_group() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada]).await);
    let body = json!({"schemas": [GROUP_SCHEMA], "displayName": "Admins"});

    // Act
    let response = app.put(&acme, &format!("/Groups/{admins}"), &body).await;

    // Assert
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.expect("json body");
    assert!(values(&replaced, "members").is_empty(), "{replaced}");
    let read_back = app.get_json(&acme, &format!("/Groups/{admins}")).await;
    assert!(values(&read_back, "members").is_empty(), "{read_back}");
    let ada_now = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert!(values(&ada_now, "groups").is_empty(), "{ada_now}");
}

#[tokio::test]
async fn renaming_a_group_updates_the_display_in_user_groups() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada]).await);

    // Act
    let response = app
        .put(
            &acme,
            &format!("/Groups/{admins}"),
            &group("Administrators", &[&ada]),
        )
        .await;

    // Assert
    assert_eq!(response.status(), 200);
    let ada_now = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(
        entry(&ada_now, "groups", &admins)["display"],
        "Administrators"
    );
}

#[tokio::test]
async fn deleting_a_user_removes_it_from_group_members() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let grace = id(&app.create_user(&acme, "grace").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada, &grace]).await);

    // Act
    let response = app.delete(&acme, &format!("/Users/{ada}")).await;

    // Assert
    assert_eq!(response.status(), 204);
    let read_back = app.get_json(&acme, &format!("/Groups/{admins}")).await;
    assert_eq!(values(&read_back, "members"), [grace]);
}

#[tokio::test]
async fn deleting_a_group_removes_it_from_user_groups() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada]).await);
    let ops = id(&app.create_group(&acme, "Ops", &[&ada]).await);

    // Act
    let response = app.delete(&acme, &format!("/Groups/{admins}")).await;

    // Assert
    assert_eq!(response.status(), 204);
    let ada_now = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(values(&ada_now, "groups"), [ops]);
}

#[tokio::test]
async fn groups_sent_on_a_user_are_ignored() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let admins = id(&app.create_group(&acme, "Admins", &[]).await);
    let mut body = user("ada");
    body["groups"] = json!([{"value": admins, "display": "Admins", "type": "direct"}]);

    // Act
    let response = app.post(&acme, "/Users", &body).await;

    // Assert
    assert_eq!(response.status(), 201);
    let ada: Value = response.json().await.expect("json body");
    assert!(values(&ada, "groups").is_empty(), "{ada}");
    let read_back = app.get_json(&acme, &format!("/Users/{}", id(&ada))).await;
    assert!(values(&read_back, "groups").is_empty(), "{read_back}");
    let group_now = app.get_json(&acme, &format!("/Groups/{admins}")).await;
    assert!(values(&group_now, "members").is_empty(), "{group_now}");
}

#[tokio::test]
async fn groups_sent_on_a_user_replace_do_not_change_membership() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada]).await);
    let ops = id(&app.create_group(&acme, "Ops", &[]).await);
    let mut body = user("ada");
    body["groups"] = json!([{"value": ops}]);

    // Act
    let response = app.put(&acme, &format!("/Users/{ada}"), &body).await;

    // Assert
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.expect("json body");
    assert_eq!(values(&replaced, "groups"), [admins]);
    let ops_now = app.get_json(&acme, &format!("/Groups/{ops}")).await;
    assert!(values(&ops_now, "members").is_empty(), "{ops_now}");
}

#[tokio::test]
async fn listing_groups_returns_the_members_of_each_group() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let grace = id(&app.create_user(&acme, "grace").await);
    let admins = id(&app.create_group(&acme, "Admins", &[&ada, &grace]).await);
    let ops = id(&app.create_group(&acme, "Ops", &[&grace]).await);
    let empty = id(&app.create_group(&acme, "Empty", &[]).await);

    // Act
    let list = app.get_json(&acme, "/Groups").await;

    // Assert
    assert_eq!(list["totalResults"], 3);
    let resources = list["Resources"].as_array().expect("Resources");
    let by_id = |id: &str| {
        resources
            .iter()
            .find(|g| g["id"] == id)
            .unwrap_or_else(|| panic!("{id} not listed in {list}"))
    };
    assert_eq!(values(by_id(&admins), "members"), sorted(&[&ada, &grace]));
    assert_eq!(values(by_id(&ops), "members"), [grace.as_str()]);
    assert!(values(by_id(&empty), "members").is_empty());
    let grace_in_ops = entry(by_id(&ops), "members", &grace);
    assert_eq!(grace_in_ops["display"], "grace");
    assert_eq!(grace_in_ops["type"], "User");
    assert_eq!(grace_in_ops["$ref"], format!("{}/Users/{grace}", acme.base));
}

#[tokio::test]
async fn user_groups_list_direct_and_indirect_memberships() {
    // Arrange: ada is in Team; Team is in Department; Department is in Company.
    let (app, acme) = spawn_tenant("acme").await;
    let ada = app.create_user(&acme, "ada").await;
    let ada_id = ada["id"].as_str().expect("id");
    let team = app.create_group(&acme, "Team", &[ada_id]).await;
    let department = app
        .create_group(&acme, "Department", &[team["id"].as_str().expect("id")])
        .await;
    let company = app
        .create_group(&acme, "Company", &[department["id"].as_str().expect("id")])
        .await;

    // Act
    let fetched: Value = app
        .get(&acme, &format!("/Users/{ada_id}"))
        .await
        .json()
        .await
        .expect("json");

    // Assert
    let mut groups: Vec<(String, String)> = fetched["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["display"].as_str().unwrap_or_default().to_owned(),
                g["type"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            ("Company".to_owned(), "indirect".to_owned()),
            ("Department".to_owned(), "indirect".to_owned()),
            ("Team".to_owned(), "direct".to_owned()),
        ]
    );
    assert!(
        fetched["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .any(|g| g["value"] == company["id"])
    );
}
