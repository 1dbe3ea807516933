//! Secrets at rest: with `SCIMGATE_SECRETS_KEY` set, signing keys and introspection secrets
//! are stored sealed, yet tokens are still signed and introspected; a deployment turning the
//! key on later finds what was stored plain sealed at its next start.

use scimgate_domain::scope::Scope;
use scimgate_infra::db::entities::{signing_keys, trusted_issuers};
use sea_orm::EntityTrait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::issuer::{FakeIssuer, INTROSPECTION_SECRET};
use super::{AUDIENCE, get, trust_introspection};
use crate::helpers::{TestApp, spawn_with, test_settings};
use crate::oauth::support::{access_token, create_client};

const SECRETS_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// What the database holds: every private key and every introspection secret.
async fn stored_secrets(app: &TestApp) -> Vec<String> {
    let keys = signing_keys::Entity::find().all(&app.db).await.unwrap();
    let issuers = trusted_issuers::Entity::find().all(&app.db).await.unwrap();
    keys.into_iter()
        .map(|k| k.private_key)
        .chain(
            issuers
                .into_iter()
                .filter_map(|i| i.introspection_client_secret),
        )
        .collect()
}

/// Where an app keeps its data: the database URL and PostgreSQL schema.
type Database = (String, Option<String>);

/// An app, sealing with `SECRETS_KEY` or not, on `database` or a new one; and its database.
async fn app_on(database: Option<Database>, sealing: bool) -> (TestApp, Database) {
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&data);
    if let Some((url, schema)) = database {
        settings.database_url = Some(SecretString::from(url));
        settings.database_schema = schema;
    }
    if sealing {
        settings.secrets_key = Some(SecretString::from(SECRETS_KEY));
    }
    let url = settings
        .database_url
        .as_ref()
        .map(|u| u.expose_secret().to_owned());
    let database = (url.unwrap_or_default(), settings.database_schema.clone());
    (spawn_with(settings, data).await, database)
}

async fn introspected_token_works(app: &TestApp, issuer: &FakeIssuer) {
    let exp = chrono::Utc::now().timestamp() + 600;
    issuer.activate(
        "opaque-1",
        json!({"scope": "scim:users:read", "iss": issuer.url, "aud": AUDIENCE, "exp": exp}),
    );
    let response = get(app, "/t/acme/scim/v2/Users", "opaque-1").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn with_a_secrets_key_no_secret_is_stored_in_the_clear() {
    // Arrange
    let (app, _) = app_on(None, true).await;
    app.tenant("acme").await;
    let issuer = FakeIssuer::start(Vec::new()).await;
    trust_introspection(&app, "acme", &issuer, &[Scope::UsersRead], None).await;
    let client = create_client(&app, "acme", &[], json!({})).await;

    // Act
    let jwt = access_token(&app, &client).await;
    let with_jwt = get(&app, "/t/acme/scim/v2/Users", &jwt).await;

    // Assert
    assert_eq!(with_jwt.status(), 200);
    introspected_token_works(&app, &issuer).await;
    let stored = stored_secrets(&app).await;
    assert_eq!(stored.len(), 2, "one signing key, one introspection secret");
    for value in stored {
        assert!(value.starts_with("sg1:"), "{value}");
        assert!(!value.contains(INTROSPECTION_SECRET));
    }
}

#[tokio::test]
async fn turning_the_key_on_later_seals_what_was_stored_plain() {
    // Arrange: a deployment without a secrets key stores its secrets as they are.
    let (plain, database) = app_on(None, false).await;
    plain.tenant("acme").await;
    let issuer = FakeIssuer::start(Vec::new()).await;
    trust_introspection(&plain, "acme", &issuer, &[Scope::UsersRead], None).await;
    let client = create_client(&plain, "acme", &[], json!({})).await;
    let before = stored_secrets(&plain).await;

    // Act: the next start has a key.
    let (sealed, _) = app_on(Some(database), true).await;

    // Assert
    assert!(
        before.iter().any(|v| v == INTROSPECTION_SECRET),
        "{before:?}"
    );
    let after = stored_secrets(&sealed).await;
    assert_eq!(after.len(), before.len());
    assert!(after.iter().all(|v| v.starts_with("sg1:")), "{after:?}");
    let jwt = access_token(&sealed, &client).await;
    assert_eq!(
        get(&sealed, "/t/acme/scim/v2/Users", &jwt).await.status(),
        200
    );
    introspected_token_works(&sealed, &issuer).await;
}
