//! The policy belongs to one tenant: hard delete by default, set by the operator or the
//! tenant's own admin, refused with SCIM errors when malformed.

use reqwest::Method;
use serde_json::json;

use super::support::{archived_ids, restore, soft_delete};
use crate::admin_support::{admin_send, admin_token, issue};
use crate::helpers::{id, spawn_tenant};

#[tokio::test]
async fn deletes_are_hard_unless_the_tenant_itself_asks_for_soft() {
    // Arrange: acme soft, globex untouched.
    let (app, acme) = spawn_tenant("acme").await;
    let globex = app.tenant("globex").await;
    let (_, default) = app
        .operator_json(Method::GET, "/tenants/globex/lifecycle", None)
        .await;
    assert_eq!(default, json!({"deletion": "hard"}));
    soft_delete(&app, "acme", 30).await;
    let in_acme = id(&app.create_user(&acme, "ada").await);
    let in_globex = id(&app.create_user(&globex, "ada").await);

    // Act
    assert_eq!(
        app.delete(&acme, &format!("/Users/{in_acme}"))
            .await
            .status(),
        204
    );
    assert_eq!(
        app.delete(&globex, &format!("/Users/{in_globex}"))
            .await
            .status(),
        204
    );

    // Assert
    assert_eq!(archived_ids(&app, "acme").await, [in_acme]);
    assert!(archived_ids(&app, "globex").await.is_empty());
    assert_eq!(restore(&app, "globex", &in_globex).await.0, 404);
    // Back to hard: the next delete keeps nothing.
    let hard = json!({"deletion": "hard"});
    let (status, _) = app
        .operator_json(Method::PUT, "/tenants/acme/lifecycle", Some(&hard))
        .await;
    assert_eq!(status, 200);
    let bob = id(&app.create_user(&acme, "bob").await);
    assert_eq!(
        app.delete(&acme, &format!("/Users/{bob}")).await.status(),
        204
    );
    assert_eq!(archived_ids(&app, "acme").await.len(), 1);
}

#[tokio::test]
async fn a_malformed_policy_is_a_scim_error_and_changes_nothing() {
    let (app, _acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;
    for (body, scim_type) in [
        (json!({"deletion": "soft"}), "invalidValue"),
        (
            json!({"deletion": "soft", "retentionDays": 0}),
            "invalidValue",
        ),
        (
            json!({"deletion": "soft", "retentionDays": 3651}),
            "invalidValue",
        ),
        (
            json!({"deletion": "hard", "retentionDays": 3}),
            "invalidValue",
        ),
        (json!({"deletion": "archive"}), "invalidValue"),
        (
            json!({"deletion": "soft", "retentionDays": -1}),
            "invalidSyntax",
        ),
        (json!({"deletion": "soft", "days": 3}), "invalidSyntax"),
        (
            json!({"deletion": "hard", "verifiedDomains": ["example"]}),
            "invalidValue",
        ),
        (
            json!({"deletion": "hard", "verifiedDomains": ["ada@example.com"]}),
            "invalidValue",
        ),
        (
            json!({"deletion": "hard", "seatLimit": -1}),
            "invalidSyntax",
        ),
    ] {
        let (status, error, _) =
            admin_send(&app, Method::PUT, "acme", "/lifecycle", &admin.token, &body).await;
        assert_eq!(status, 400, "{body}: {error}");
        assert_eq!(error["scimType"], scim_type, "{body}: {error}");
    }
    let (_, policy) = app
        .operator_json(Method::GET, "/tenants/acme/lifecycle", None)
        .await;
    assert_eq!(policy, json!({"deletion": "hard"}));
}

#[tokio::test]
async fn only_an_admin_of_the_tenant_sets_its_policy() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    app.tenant("globex").await;
    let globex_admin = admin_token(&app, "globex").await;
    let writer = issue(&app, "acme", &[scimgate_domain::scope::Scope::Write]).await;
    let soft = json!({"deletion": "soft", "retentionDays": 3});

    // Act
    let (wrong_tenant, _, _) = admin_send(
        &app,
        Method::PUT,
        "acme",
        "/lifecycle",
        &globex_admin.token,
        &soft,
    )
    .await;
    let (no_admin, _, _) = admin_send(
        &app,
        Method::PUT,
        "acme",
        "/lifecycle",
        &writer.token,
        &soft,
    )
    .await;

    // Assert
    assert_eq!(wrong_tenant, 401);
    assert_eq!(no_admin, 403);
    let (_, policy) = app
        .operator_json(Method::GET, "/tenants/acme/lifecycle", None)
        .await;
    assert_eq!(policy, json!({"deletion": "hard"}));
}
