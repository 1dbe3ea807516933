//! `/Bulk` needs `scim:bulk` on top of each operation's own scopes; tokens issued without
//! explicit scopes carry it.

use scimgate_domain::scope::Scope;
use serde_json::json;

use crate::admin_support::{challenge, exchange, issue};
use crate::helpers::{assert_scim_error, bulk, spawn_tenant, user};

fn create_ada() -> serde_json::Value {
    bulk(json!([
        {"method": "POST", "bulkId": "ada", "path": "/Users", "data": user("ada")},
    ]))
}

#[tokio::test]
async fn bulk_without_the_bulk_scope_is_refused_with_insufficient_scope() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let writer = issue(&app, "acme", &[Scope::Read, Scope::Write]).await;

    // Act
    let response = app
        .post(&acme.with_token(&writer.token), "/Bulk", &create_ada())
        .await;

    // Assert
    let challenge = challenge(&response);
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
    let body = assert_scim_error(response, 403, None).await;
    assert!(
        body["detail"].as_str().unwrap().contains("scim:bulk"),
        "{body}"
    );
    let (_, list, _) = exchange(app.get_request(&acme, "/Users")).await;
    assert_eq!(list["totalResults"], 0, "nothing ran");
}

#[tokio::test]
async fn bulk_scope_alone_grants_no_operation() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let bulk_only = issue(&app, "acme", &[Scope::Bulk, Scope::UsersRead]).await;

    // Act
    let (status, body, _) = exchange(
        app.client
            .post(format!("{}/Bulk", acme.base))
            .bearer_auth(&bulk_only.token)
            .header("Content-Type", "application/scim+json")
            .body(create_ada().to_string()),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Operations"][0]["status"], "403", "{body}");
}

#[tokio::test]
async fn tokens_without_explicit_scopes_can_use_bulk() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;

    // Act
    let (status, body, _) = exchange(app.post_request(&acme, "/Bulk", &create_ada())).await;
    let (_, tokens, _) = exchange(
        app.client
            .get(format!("{}/admin/v1/tenants/acme/tokens", app.origin))
            .bearer_auth(crate::helpers::ADMIN_KEY),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Operations"][0]["status"], "201", "{body}");
    assert_eq!(
        tokens["tokens"][0]["scopes"],
        json!(["scim:read", "scim:write", "scim:bulk"])
    );
}

#[tokio::test]
async fn tokens_stored_before_the_bulk_scope_existed_keep_bulk() {
    use scimgate_infra::db::entities::tokens;
    use scimgate_infra::db::{DatabaseSettings, connect};
    use scimgate_migrations::{Migrator, MigratorTrait};
    use sea_orm::{
        ActiveValue::{NotSet, Set},
        EntityTrait,
    };

    // Arrange: a database as the release before `scim:bulk` left it, with a read-only token.
    let data = tempfile::tempdir().unwrap();
    let settings = crate::helpers::test_settings(&data);
    let db = connect(&DatabaseSettings {
        url: settings.database_url(),
        schema: settings.database_schema.clone(),
        max_connections: 2,
        acquire_timeout: std::time::Duration::from_secs(5),
    })
    .await
    .unwrap();
    Migrator::up(&db, Some(9)).await.unwrap();
    let row = tokens::ActiveModel {
        id: Set("0123abcd".into()),
        tenant_id: Set(uuid::Uuid::now_v7()),
        name: Set("okta".into()),
        scopes: Set("scim:read".into()),
        secret_hash: Set("unused".into()),
        created: Set(chrono::Utc::now()),
        expires_at: Set(None),
        revoked_at: Set(None),
        // Columns of later migrations.
        claims: NotSet,
        policy: NotSet,
    };
    tokens::Entity::insert(row).exec(&db).await.unwrap();

    // Act
    Migrator::up(&db, None).await.unwrap();

    // Assert
    let token = tokens::Entity::find_by_id("0123abcd".to_owned())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.scopes, "scim:read scim:bulk");
}
