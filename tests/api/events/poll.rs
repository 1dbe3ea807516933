//! RFC 8936 poll delivery of change events as signed SETs (RFC 8417, RFC 9967): what a poll
//! answers, acknowledgements, and receivers kept apart.

use scimgate_domain::scope::Scope;
use scimgate_infra::db::entities::{event_receiver_acks, event_receivers};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use super::poll_support::{Receiver, events_receiver, jtis, jwks, poll, post_poll, verify};
use super::support::id;
use crate::helpers::TestApp;
use crate::helpers::{patch_op, spawn_tenant};
use crate::oauth::support::{access_token, create_client};

const PROV: &str = "urn:ietf:params:scim:event:prov:";

/// The one event URI of a SET and its payload.
fn event_of(claims: &Value) -> (String, Value) {
    let events = claims["events"].as_object().unwrap();
    assert_eq!(events.len(), 1, "{claims}");
    let (uri, payload) = events.iter().next().unwrap();
    (uri.clone(), payload.clone())
}

async fn event_ids(app: &TestApp, slug: &str, token: &str) -> Vec<String> {
    super::support::all_events(app, slug, token)
        .await
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn writes_come_as_sets_that_verify_against_the_published_keys() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = events_receiver(&app, "acme").await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let patch = patch_op(json!([{"op": "replace", "path": "nickName", "value": "countess"}]));
    let patched = app
        .client
        .patch(format!("{}/Users/{ada}", acme.base))
        .bearer_auth(&acme.token)
        .header("Content-Type", "application/scim+json")
        .body(patch.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let deleted = app.delete(&acme, &format!("/Users/{ada}")).await;
    assert_eq!(deleted.status(), 204);

    // Act
    let answer = poll(&app, "acme", &receiver, json!({"returnImmediately": true})).await;
    let notices = post_poll(&app, "acme", &receiver.token, "?variant=notice", "{}").await;

    // Assert
    let mut expected = event_ids(&app, "acme", &receiver.token).await;
    expected.sort();
    assert_eq!(jtis(&answer), expected, "jti is the event id");
    assert_eq!(answer["moreAvailable"], json!(false));
    let keys = jwks(&app).await;
    let issuer = format!("{}/t/acme", app.origin);
    let claims: Vec<Value> = answer["sets"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(jti, set)| {
            let claims = verify(set.as_str().unwrap(), &keys, &issuer, &receiver.id);
            assert_eq!(claims["jti"], json!(jti));
            claims
        })
        .collect();
    let mut uris: Vec<String> = claims.iter().map(|c| event_of(c).0).collect();
    uris.sort();
    assert_eq!(
        uris,
        [
            format!("{PROV}create:full"),
            format!("{PROV}delete"),
            format!("{PROV}patch:full"),
        ]
    );
    for set in &claims {
        assert_eq!(
            set["sub_id"],
            json!({"format": "scim", "uri": format!("/Users/{ada}"), "id": ada})
        );
        assert!(set.get("sub").is_none());
        assert!(set["txn"].is_string() && set["iat"].is_i64());
    }
    let created = claims
        .iter()
        .find(|c| event_of(c).0.ends_with("create:full"));
    let (_, payload) = event_of(created.unwrap());
    assert_eq!(payload["data"]["userName"], json!("ada"));
    assert_eq!(payload["version"], json!("W/\"1\""));
    let patched = claims
        .iter()
        .find(|c| event_of(c).0.ends_with("patch:full"));
    let (_, payload) = event_of(patched.unwrap());
    assert_eq!(payload["data"]["nickName"], json!("countess"));
    assert!(payload.get("attributes").is_none());

    assert_eq!(notices.status(), 200);
    let notices: Value = notices.json().await.unwrap();
    let uris: Vec<String> = notices["sets"]
        .as_object()
        .unwrap()
        .values()
        .map(|set| event_of(&verify(set.as_str().unwrap(), &keys, &issuer, &receiver.id)).0)
        .collect();
    assert!(uris.contains(&format!("{PROV}patch:notice")), "{uris:?}");
    assert!(uris.contains(&format!("{PROV}create:notice")), "{uris:?}");
}

#[tokio::test]
async fn acknowledged_sets_stop_and_unacknowledged_ones_come_back() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let receiver = events_receiver(&app, "acme").await;
    for name in ["ada", "grace", "edsger"] {
        app.create_user(&acme, name).await;
    }
    let all = event_ids(&app, "acme", &receiver.token).await;
    let first_two = json!({"maxEvents": 2, "returnImmediately": true});

    // Act / Assert: unacknowledged SETs come again.
    let first = poll(&app, "acme", &receiver, first_two.clone()).await;
    let mut oldest = all[..2].to_vec();
    oldest.sort();
    assert_eq!(jtis(&first), oldest);
    assert_eq!(first["moreAvailable"], json!(true));
    let again = poll(&app, "acme", &receiver, first_two.clone()).await;
    assert_eq!(
        jtis(&again),
        oldest,
        "at-least-once: not acknowledged, sent again"
    );

    // Acknowledging out of order: the second event only.
    let after_ack = poll(
        &app,
        "acme",
        &receiver,
        json!({"maxEvents": 2, "returnImmediately": true, "ack": [all[1]]}),
    )
    .await;
    let mut rest = vec![all[0].clone(), all[2].clone()];
    rest.sort();
    assert_eq!(jtis(&after_ack), rest);
    assert_eq!(after_ack["moreAvailable"], json!(false));
    assert_eq!(
        stored_acks(&app).await,
        (0, 1),
        "the mark waits for event 1"
    );

    // An error report acknowledges too; a repeated ack is harmless.
    let done = poll(
        &app,
        "acme",
        &receiver,
        json!({"returnImmediately": true, "ack": [all[0], all[1]],
            "setErrs": {all[2].clone(): {"err": "invalid_request", "description": "cannot store"}}}),
    )
    .await;
    assert_eq!(done["sets"], json!({}));
    assert_eq!(done["moreAvailable"], json!(false));
    assert_eq!(
        stored_acks(&app).await,
        (3, 0),
        "the mark moved past every acknowledged event and forgot them"
    );

    // Only new writes come after that.
    app.create_user(&acme, "barbara").await;
    let next = poll(&app, "acme", &receiver, json!({"returnImmediately": true})).await;
    let newest = event_ids(&app, "acme", &receiver.token).await;
    assert_eq!(jtis(&next), vec![newest[3].clone()]);
}

#[tokio::test]
async fn each_receiver_keeps_its_own_acknowledgements() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let (one, two) = (
        events_receiver(&app, "acme").await,
        events_receiver(&app, "acme").await,
    );
    app.create_user(&acme, "ada").await;
    app.create_user(&acme, "grace").await;
    let all = event_ids(&app, "acme", &one.token).await;

    // Act
    let acked = poll(
        &app,
        "acme",
        &one,
        json!({"maxEvents": 0, "ack": all.clone()}),
    )
    .await;
    let of_one = poll(&app, "acme", &one, json!({"returnImmediately": true})).await;
    let of_two = poll(&app, "acme", &two, json!({"returnImmediately": true})).await;

    // Assert
    assert_eq!(acked["sets"], json!({}), "maxEvents 0 only acknowledges");
    assert_eq!(of_one["sets"], json!({}));
    let mut expected = all;
    expected.sort();
    assert_eq!(jtis(&of_two), expected);
    let keys = jwks(&app).await;
    let issuer = format!("{}/t/acme", app.origin);
    for set in of_two["sets"].as_object().unwrap().values() {
        verify(set.as_str().unwrap(), &keys, &issuer, &two.id);
    }
}

/// The only receiver's low-water mark and how many acknowledgements above it are stored.
async fn stored_acks(app: &TestApp) -> (i64, u64) {
    let receivers = event_receivers::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(receivers.len(), 1);
    let above = event_receiver_acks::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    (receivers[0].acked_through, above)
}

#[tokio::test]
async fn every_access_token_of_an_oauth_client_is_the_same_receiver() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    let client = create_client(&app, "acme", &[Scope::EventsRead], json!({})).await;
    app.create_user(&acme, "ada").await;
    let first = Receiver {
        token: access_token(&app, &client).await,
        id: client.id.clone(),
    };

    // Act
    let answer = poll(&app, "acme", &first, json!({"returnImmediately": true})).await;
    let acked = poll(
        &app,
        "acme",
        &first,
        json!({"maxEvents": 0, "ack": jtis(&answer)}),
    )
    .await;
    let second = Receiver {
        token: access_token(&app, &client).await,
        id: client.id.clone(),
    };
    let later = poll(&app, "acme", &second, json!({"returnImmediately": true})).await;

    // Assert
    assert_eq!(jtis(&answer).len(), 1);
    let keys = jwks(&app).await;
    let set = answer["sets"].as_object().unwrap().values().next().unwrap();
    let claims = verify(
        set.as_str().unwrap(),
        &keys,
        &format!("{}/t/acme", app.origin),
        &client.id,
    );
    assert_eq!(
        claims["aud"],
        json!(client.id),
        "the audience is the client"
    );
    assert_eq!(acked["sets"], json!({}));
    assert_eq!(
        later["sets"],
        json!({}),
        "acknowledged by the client, whatever its token"
    );
}
