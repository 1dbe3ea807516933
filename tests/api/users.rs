//! Users over HTTP: create, read, list, replace, delete, within one tenant.

use serde_json::{Value, json};

use crate::helpers::{ENTERPRISE, USER_SCHEMA, assert_scim_error, spawn_tenant, user};

#[tokio::test]
async fn create_user_returns_201_with_location_etag_and_meta() {
    let (app, acme) = spawn_tenant("acme").await;

    let response = app.post(&acme, "/Users", &user("ada")).await;

    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("application/scim+json"));
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap();
    assert_eq!(location, format!("{}/Users/{id}", acme.base));
    assert_eq!(body["meta"]["location"], location);
    assert_eq!(body["meta"]["version"], etag);
    assert_eq!(body["meta"]["resourceType"], "User");
    assert_eq!(body["meta"]["created"], body["meta"]["lastModified"]);
    assert_eq!(body["userName"], "ada");
    assert_eq!(body["schemas"], json!([USER_SCHEMA]));
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
}

#[tokio::test]
async fn created_user_reads_back_identically_with_the_same_etag() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;

    let response = app
        .get(
            &acme,
            &format!("/Users/{}", created["id"].as_str().unwrap()),
        )
        .await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["etag"].to_str().unwrap(),
        created["meta"]["version"]
    );
    let fetched: Value = response.json().await.unwrap();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn get_with_matching_if_none_match_is_304() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", created["id"].as_str().unwrap());

    let unchanged = app
        .get_request(&acme, &path)
        .header(
            "If-None-Match",
            created["meta"]["version"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    let stale = app
        .get_request(&acme, &path)
        .header("If-None-Match", "W/\"999\"")
        .send()
        .await
        .unwrap();

    assert_eq!(unchanged.status(), 304);
    assert_eq!(stale.status(), 200);
}

#[tokio::test]
async fn attribute_names_are_case_insensitive_and_come_back_canonical() {
    let (app, acme) = spawn_tenant("acme").await;
    let body = json!({
        "SCHEMAS": [USER_SCHEMA, ENTERPRISE],
        "USERNAME": "grace",
        "Name": {"GivenName": "Grace"},
        (ENTERPRISE.to_uppercase()): {"Department": "Navy"},
    });

    let response = app.post(&acme, "/Users", &body).await;

    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["userName"], "grace");
    assert_eq!(created["name"]["givenName"], "Grace");
    assert_eq!(created[ENTERPRISE]["department"], "Navy");
    assert_eq!(created["schemas"], json!([USER_SCHEMA, ENTERPRISE]));
}

#[tokio::test]
async fn password_is_accepted_but_never_returned() {
    let (app, acme) = spawn_tenant("acme").await;
    let mut body = user("ada");
    body["password"] = json!("correct horse battery staple");

    let created: Value = app.post_json(&acme, "/Users", &body).await;
    let listed: Value = app.get_json(&acme, "/Users").await;

    assert!(created.get("password").is_none());
    assert!(listed["Resources"][0].get("password").is_none());
    assert!(!listed.to_string().contains("correct horse"));
}

#[tokio::test]
async fn user_name_is_unique_per_tenant_case_insensitively() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "Ada@Example.com").await;

    let response = app.post(&acme, "/Users", &user("ada@example.COM")).await;

    assert_scim_error(response, 409, Some("uniqueness")).await;
    let listed: Value = app.get_json(&acme, "/Users").await;
    assert_eq!(listed["totalResults"], 1);
}

#[tokio::test]
async fn concurrent_creates_of_one_user_name_leave_exactly_one_user() {
    let (app, acme) = spawn_tenant("acme").await;

    let attempts = (0..8).map(|_| app.post_request(&acme, "/Users", &user("race")).send());
    let statuses: Vec<u16> = futures_join_all(attempts).await;

    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
}

async fn futures_join_all<F>(requests: impl Iterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
{
    let handles: Vec<_> = requests.map(tokio::spawn).collect();
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap().unwrap().status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn list_pages_in_stable_order_without_skips_or_repeats() {
    let (app, acme) = spawn_tenant("acme").await;
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(app.create_user(&acme, &format!("user{i}")).await["id"].clone());
    }

    let mut seen = Vec::new();
    for start in [1, 4, 7] {
        let page: Value = app
            .get_json(&acme, &format!("/Users?startIndex={start}&count=3"))
            .await;
        assert_eq!(page["totalResults"], 7);
        assert_eq!(page["startIndex"], start);
        assert_eq!(
            page["itemsPerPage"],
            page["Resources"].as_array().unwrap().len()
        );
        seen.extend(
            page["Resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].clone()),
        );
    }

    assert_eq!(seen, created);
}

#[tokio::test]
async fn count_zero_returns_only_the_total_and_count_is_capped() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;

    let empty: Value = app.get_json(&acme, "/Users?count=0").await;
    let capped = app.get(&acme, "/Users?count=100000").await;

    assert_eq!(empty["totalResults"], 1);
    assert_eq!(empty["Resources"], json!([]));
    assert_eq!(capped.status(), 200);
}

#[tokio::test]
async fn put_replaces_the_user_ignoring_read_only_attributes() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;
    let id = created["id"].as_str().unwrap();
    let replacement = json!({
        "schemas": [USER_SCHEMA],
        "id": "not-the-id",
        "meta": {"created": "1999-01-01T00:00:00Z"},
        "groups": [{"value": "whatever"}],
        "userName": "ada.lovelace",
        "active": false,
    });

    let response = app.put(&acme, &format!("/Users/{id}"), &replacement).await;

    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced["id"], id);
    assert_eq!(replaced["userName"], "ada.lovelace");
    assert_eq!(replaced["active"], false);
    assert!(replaced.get("emails").is_none(), "PUT drops what it omits");
    assert!(replaced.get("groups").is_none());
    assert_eq!(replaced["meta"]["created"], created["meta"]["created"]);
    assert_ne!(etag, created["meta"]["version"].as_str().unwrap());
    let fetched: Value = app.get_json(&acme, &format!("/Users/{id}")).await;
    assert_eq!(fetched, replaced);
}

#[tokio::test]
async fn put_with_stale_if_match_is_412_and_changes_nothing() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", created["id"].as_str().unwrap());

    let response = app
        .put_request(&acme, &path, &user("renamed"))
        .header("If-Match", "W/\"42\"")
        .send()
        .await
        .unwrap();

    assert_scim_error(response, 412, None).await;
    let fetched: Value = app.get_json(&acme, &path).await;
    assert_eq!(fetched["userName"], "ada");
}

#[tokio::test]
async fn put_onto_a_taken_user_name_is_409() {
    let (app, acme) = spawn_tenant("acme").await;
    app.create_user(&acme, "ada").await;
    let grace = app.create_user(&acme, "grace").await;

    let response = app
        .put(
            &acme,
            &format!("/Users/{}", grace["id"].as_str().unwrap()),
            &user("ADA"),
        )
        .await;

    assert_scim_error(response, 409, Some("uniqueness")).await;
}

#[tokio::test]
async fn put_of_unknown_user_is_404() {
    let (app, acme) = spawn_tenant("acme").await;

    let response = app
        .put(
            &acme,
            &format!("/Users/{}", uuid::Uuid::now_v7()),
            &user("ada"),
        )
        .await;

    assert_scim_error(response, 404, None).await;
}

#[tokio::test]
async fn delete_removes_the_user() {
    let (app, acme) = spawn_tenant("acme").await;
    let created = app.create_user(&acme, "ada").await;
    let path = format!("/Users/{}", created["id"].as_str().unwrap());

    let deleted = app.delete(&acme, &path).await;
    let again = app.delete(&acme, &path).await;
    let fetched = app.get(&acme, &path).await;

    assert_eq!(deleted.status(), 204);
    assert_scim_error(again, 404, None).await;
    assert_scim_error(fetched, 404, None).await;
}

#[tokio::test]
async fn the_same_user_name_lives_in_two_tenants_without_either_seeing_the_other() {
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let at_acme = app.create_user(&acme, "ada").await;
    let at_globex = app.create_user(&globex, "ada").await;

    let acme_list: Value = app.get_json(&acme, "/Users").await;
    let cross = app
        .get(
            &globex,
            &format!("/Users/{}", at_acme["id"].as_str().unwrap()),
        )
        .await;
    let cross_delete = app
        .delete(
            &globex,
            &format!("/Users/{}", at_acme["id"].as_str().unwrap()),
        )
        .await;

    assert_ne!(at_acme["id"], at_globex["id"]);
    assert_eq!(acme_list["totalResults"], 1);
    assert_eq!(acme_list["Resources"][0]["id"], at_acme["id"]);
    assert_scim_error(cross, 404, None).await;
    assert_scim_error(cross_delete, 404, None).await;
    let still_there = app
        .get(
            &acme,
            &format!("/Users/{}", at_acme["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(still_there.status(), 200);
}
