//! Discovery documents and signing keys: JWKS, RFC 8414 metadata, rotation, and one active
//! key whatever replicas race to create it.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use scimgate_domain::ports::SystemClock;
use scimgate_domain::service::auth::key_ring::KeyRing;
use scimgate_infra::auth::Es256JwtCodec;
use scimgate_infra::db::SqlSigningKeyStore;
use scimgate_infra::db::entities::signing_keys;
use scimgate_infra::sealing::Sealer;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use super::support::{access_token, create_client, get_with, jwt_parts};
use crate::helpers::{spawn_app, spawn_tenant};

#[tokio::test]
async fn jwks_lists_the_signing_key_and_the_issued_token_verifies_against_it() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({"org": "partner-a"})).await;
    let jwt = access_token(&app, &client).await;

    // Act
    let response = app.get_public("/.well-known/jwks.json").await;

    // Assert
    assert_eq!(response.status(), 200);
    let jwks: JwkSet = response.json().await.unwrap();
    let kid = jwt_parts(&jwt).0["kid"].as_str().unwrap().to_owned();
    let jwk = jwks.find(&kid).expect("the token's key is published");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&["scimgate"]);
    validation.set_issuer(&[app.origin.as_str()]);
    let verified =
        jsonwebtoken::decode::<Value>(&jwt, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
            .unwrap();
    assert_eq!(verified.claims["claims"]["org"], "partner-a");
    let raw: Value = serde_json::to_value(&jwks).unwrap();
    assert!(
        raw["keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("d").is_none()),
        "no private key material in {raw}"
    );
}

#[tokio::test]
async fn metadata_names_the_endpoints_grants_and_methods() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app
        .client
        .get(format!(
            "{}/.well-known/oauth-authorization-server",
            app.origin
        ))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    let metadata: Value = response.json().await.unwrap();
    assert_eq!(metadata["issuer"], app.origin.as_str());
    assert_eq!(
        metadata["token_endpoint"],
        format!("{}/oauth/token", app.origin)
    );
    assert_eq!(
        metadata["jwks_uri"],
        format!("{}/.well-known/jwks.json", app.origin)
    );
    assert_eq!(
        metadata["grant_types_supported"],
        json!(["client_credentials"])
    );
    assert_eq!(
        metadata["token_endpoint_auth_methods_supported"],
        json!(["client_secret_basic", "client_secret_post"])
    );
    assert_eq!(metadata["response_types_supported"], json!([]));
    let scopes = metadata["scopes_supported"].as_array().unwrap();
    assert!(scopes.contains(&json!("scim:read")), "{metadata}");
    assert!(scopes.contains(&json!("scim:groups:write")), "{metadata}");
}

#[tokio::test]
async fn rotation_signs_new_tokens_with_a_new_key_and_old_tokens_keep_working() {
    // Arrange
    let (app, _acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[], json!({})).await;
    let before = access_token(&app, &client).await;

    // Act
    let new_key = app.state.keys.rotate().await.unwrap();
    let after = access_token(&app, &client).await;

    // Assert
    let old_kid = jwt_parts(&before).0["kid"].clone();
    assert_ne!(old_kid, json!(new_key.kid));
    assert_eq!(jwt_parts(&after).0["kid"], json!(new_key.kid));
    assert_eq!(
        get_with(&app, "/scim/v2/Users", &before).await.status(),
        200
    );
    assert_eq!(get_with(&app, "/scim/v2/Users", &after).await.status(), 200);
    let jwks = app.jwks().await;
    assert!(jwks.find(old_kid.as_str().unwrap()).is_some());
    assert!(jwks.find(&new_key.kid).is_some());
}

#[tokio::test]
async fn replicas_starting_together_on_no_key_leave_exactly_one_active_key() {
    // Arrange: no keys at all, then two replicas' key rings start at once.
    let app = spawn_app().await;
    signing_keys::Entity::delete_many()
        .exec(&app.db)
        .await
        .unwrap();
    let ring = || {
        KeyRing::new(
            Arc::new(SqlSigningKeyStore::new(
                app.db.clone(),
                Arc::new(Sealer::plain()),
            )),
            Arc::new(Es256JwtCodec),
            Arc::new(SystemClock),
            Duration::from_secs(600),
        )
    };
    let (first, second) = (ring(), ring());

    // Act
    let (a, b) = tokio::join!(first.ensure_active_key(), second.ensure_active_key());

    // Assert
    assert_eq!(a.unwrap().kid, b.unwrap().kid);
    let active = signing_keys::Entity::find()
        .filter(signing_keys::Column::Active.eq(true))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(active, 1);
}
