//! `format: "set"` endpoints receive each event as a signed SET (RFC 8935 push): the compact
//! JWT as `application/secevent+jwt`, verifiable with the published keys, addressed to the
//! endpoint.

use std::time::Duration;

use serde_json::json;

use super::receiver::{Receiver, signed_with};
use super::support::register;
use crate::events::poll_support::{jwks, verify};
use crate::helpers::spawn_configured;
use scimgate_api::webhook_dispatch::spawn_dispatcher;

#[tokio::test]
async fn set_endpoints_receive_signed_sets_addressed_to_them() {
    let app = spawn_configured(|s| s.public_url = Some("https://scim.example.com".into())).await;
    let acme = app.tenant("acme").await;
    let receiver = Receiver::start().await;
    let hook = register(&app, "acme", json!({"url": receiver.url, "format": "set"})).await;
    let dispatcher = spawn_dispatcher(app.state.dispatcher.clone());

    let ada = app.create_user(&acme, "ada").await;
    let received = receiver.wait_for(1, Duration::from_secs(20)).await;
    let delivery = &received[0];
    assert_eq!(delivery.content_type, "application/secevent+jwt");
    assert!(signed_with(delivery, hook["secret"].as_str().unwrap()));
    let claims = verify(
        &delivery.body,
        &jwks(&app).await,
        "https://scim.example.com/t/acme",
        &receiver.url,
    );
    assert_eq!(claims["jti"], json!(delivery.id));
    assert_eq!(claims["sub_id"]["id"], ada["id"]);
    let created = &claims["events"]["urn:ietf:params:scim:event:prov:create:full"];
    assert_eq!(created["data"]["userName"], json!("ada"));
    dispatcher.abort();
}
