//! What the RFC 8936 poll tests share: receivers, polling, and verifying SETs with the
//! server's published keys.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// A credential of tenant `slug` that may read events: its secret and its id (the SETs'
/// audience).
pub struct Receiver {
    pub token: String,
    pub id: String,
}

pub async fn receiver(app: &TestApp, slug: &str, request: Value) -> Receiver {
    let issued = app.issue_token(slug, &request).await;
    Receiver {
        token: issued["token"].as_str().unwrap().to_owned(),
        id: issued["id"].as_str().unwrap().to_owned(),
    }
}

pub async fn events_receiver(app: &TestApp, slug: &str) -> Receiver {
    receiver(
        app,
        slug,
        json!({"name": "set-receiver", "scopes": ["scim:events:read"]}),
    )
    .await
}

/// `POST /t/{slug}/events/poll{query}` with `body`, as sent.
pub async fn post_poll(
    app: &TestApp,
    slug: &str,
    token: &str,
    query: &str,
    body: &str,
) -> Response {
    app.client
        .post(format!("{}/t/{slug}/events/poll{query}", app.origin))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// A successful poll's answer.
pub async fn poll(app: &TestApp, slug: &str, receiver: &Receiver, body: Value) -> Value {
    let response = post_poll(app, slug, &receiver.token, "", &body.to_string()).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The jtis of a poll answer, sorted.
pub fn jtis(answer: &Value) -> Vec<String> {
    let mut jtis: Vec<String> = answer["sets"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    jtis.sort();
    jtis
}

pub async fn jwks(app: &TestApp) -> JwkSet {
    app.jwks().await
}

/// Verifies a compact SET with the published keys as a receiver would (ES256, `typ`,
/// `kid`, `iss`, `aud`) and returns its claims.
pub fn verify(set: &str, keys: &JwkSet, issuer: &str, audience: &str) -> Value {
    let header = jsonwebtoken::decode_header(set).unwrap();
    assert_eq!(header.alg, Algorithm::ES256);
    assert_eq!(header.typ.as_deref(), Some("secevent+jwt"));
    let kid = header.kid.expect("a kid");
    let jwk = keys.find(&kid).expect("the SET's key is published");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["iss", "aud"]);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    jsonwebtoken::decode::<Value>(set, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap()
        .claims
}
