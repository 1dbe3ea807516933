//! Webhook signing secrets at rest: sealed with `SCIMGATE_SECRETS_KEY` (current and previous
//! secret alike), sealed at the next start when the key is turned on later, and still signing.

use std::time::Duration;

use reqwest::Method;
use scimgate_infra::db::entities::webhooks;
use sea_orm::EntityTrait;
use secrecy::SecretString;
use serde_json::json;

use super::receiver::{Receiver, signed_with};
use super::support::{endpoint, operator, register};
use crate::helpers::{TestApp, spawn_with, test_settings};
use scimgate_api::webhook_dispatch::spawn_dispatcher;

const SECRETS_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

async fn stored(app: &TestApp) -> Vec<String> {
    webhooks::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|row| [Some(row.secret), row.previous_secret])
        .flatten()
        .collect()
}

#[tokio::test]
async fn secrets_turned_on_later_are_sealed_at_the_next_start_and_still_sign() {
    // One database (the SQLite file in `data`, or one PostgreSQL schema) for both starts.
    let data = tempfile::tempdir().unwrap();
    let plain_settings = test_settings(&data);
    let mut sealed_settings = test_settings(&data);
    sealed_settings.database_url = plain_settings.database_url.clone();
    sealed_settings.database_schema = plain_settings.database_schema.clone();
    sealed_settings.secrets_key = Some(SecretString::from(SECRETS_KEY));
    let plain = spawn_with(plain_settings, tempfile::tempdir().unwrap()).await;
    let acme = plain.tenant("acme").await;
    let receiver = Receiver::start().await;
    let created = register(&plain, "acme", endpoint(&receiver.url)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, rotated) = operator(
        &plain,
        Method::POST,
        "acme",
        &format!("/{id}/rotate-secret"),
        Some(json!({})),
    )
    .await;
    let (old, new) = (
        created["secret"].as_str().unwrap(),
        rotated["secret"].as_str().unwrap(),
    );
    assert!(
        stored(&plain).await.iter().any(|s| s == old),
        "stored plain without a key"
    );

    let sealed = spawn_with(sealed_settings, tempfile::tempdir().unwrap()).await;
    let at_rest = stored(&sealed).await;
    assert_eq!(at_rest.len(), 2);
    for secret in &at_rest {
        assert!(
            !secret.contains(old) && !secret.contains(new),
            "sealed: {secret}"
        );
    }
    let dispatcher = spawn_dispatcher(sealed.state.dispatcher.clone());
    sealed.create_user(&acme, "ada").await;
    let received = receiver.wait_for(1, Duration::from_secs(20)).await;
    assert!(signed_with(&received[0], new) && signed_with(&received[0], old));
    dispatcher.abort();
}
