//! The poll use case on fakes: what it records, when it waits, and what it signs.

use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::authz::principal::Principal;
use crate::error::DomainError;
use crate::event::{EventPayload, NewEvent, Operation};
use crate::oauth::claims::{AccessTokenClaims, Expected};
use crate::oauth::signing_key::{KeyMaterial, PrivateKeyDer, SigningKey};
use crate::ports::{JwtCodec, SigningKeyStore};
use crate::schema::kind::ResourceKind;
use crate::scope::Scope;
use crate::service::auth::key_ring::KeyRing;
use crate::tenant::{TenantId, TenantSlug};

const WAIT: Duration = Duration::from_secs(30);

/// Pending events, and every call in order.
#[derive(Default)]
struct Fakes {
    pending: Mutex<Vec<ChangeEvent>>,
    /// Events a write "commits" while a poll waits.
    arriving: Mutex<Vec<ChangeEvent>>,
    calls: Mutex<Vec<String>>,
    now: Mutex<DateTime<Utc>>,
}

impl Fakes {
    fn note(&self, call: String) {
        self.calls.lock().unwrap().push(call);
    }
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl EventReceiverStore for Fakes {
    async fn acknowledge(&self, _: TenantId, receiver: &str, ids: &[Uuid]) -> DomainResult<u64> {
        self.note(format!("ack {receiver} {}", ids.len()));
        Ok(0)
    }

    async fn pending(
        &self,
        _: TenantId,
        receiver: &str,
        limit: u64,
    ) -> DomainResult<(Vec<ChangeEvent>, bool)> {
        self.note(format!("pending {receiver} {limit}"));
        Ok((self.pending.lock().unwrap().clone(), false))
    }
}

#[async_trait]
impl EventWatch for Fakes {
    async fn head(&self, _: TenantId) -> DomainResult<i64> {
        Ok(self.pending.lock().unwrap().len() as i64)
    }

    async fn wait_past(&self, _: TenantId, seen: i64, timeout: Duration) -> DomainResult<()> {
        self.note(format!("wait past {seen} for {}s", timeout.as_secs()));
        let arrived: Vec<ChangeEvent> = self.arriving.lock().unwrap().drain(..).collect();
        if arrived.is_empty() {
            *self.now.lock().unwrap() += chrono::Duration::from_std(timeout).unwrap();
        }
        self.pending.lock().unwrap().extend(arrived);
        Ok(())
    }
}

impl Clock for Fakes {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }
}

/// One key; signing writes the claims out as JSON, so tests can read them.
struct OneKey(SigningKey);

#[async_trait]
impl SigningKeyStore for OneKey {
    async fn insert_if_none_active(&self, _: &SigningKey) -> DomainResult<bool> {
        Ok(false)
    }
    async fn rotate(&self, _: &SigningKey, _: DateTime<Utc>) -> DomainResult<()> {
        Ok(())
    }
    async fn verifiable(&self, _: DateTime<Utc>) -> DomainResult<Vec<SigningKey>> {
        Ok(vec![self.0.clone()])
    }
}

struct JsonCodec;

impl JwtCodec for JsonCodec {
    fn generate_key(&self) -> DomainResult<KeyMaterial> {
        Err(DomainError::InvalidValue("no keys here".into()))
    }
    fn sign(&self, _: &AccessTokenClaims, _: &SigningKey) -> DomainResult<String> {
        Err(DomainError::InvalidValue("no access tokens here".into()))
    }
    fn sign_set(&self, claims: &Map<String, Value>, key: &SigningKey) -> DomainResult<String> {
        Ok(json!({"kid": key.kid, "claims": claims}).to_string())
    }
    fn key_id(&self, _: &str) -> Option<String> {
        None
    }
    fn verify(&self, _: &str, _: &SigningKey, _: &Expected<'_>) -> DomainResult<AccessTokenClaims> {
        Err(DomainError::Unauthenticated("no access tokens here".into()))
    }
}

fn service(fakes: &Arc<Fakes>) -> EventPoll {
    let material = KeyMaterial {
        kid: "k1".into(),
        private_key: PrivateKeyDer::new(vec![1]),
        public_jwk: Map::new(),
    };
    let key = SigningKey::activate(material, DateTime::UNIX_EPOCH);
    let keys = Arc::new(KeyRing::new(
        Arc::new(OneKey(key)),
        Arc::new(JsonCodec),
        fakes.clone(),
        Duration::from_secs(600),
    ));
    let signer = Arc::new(SetSigner::new(keys, Arc::new(JsonCodec), fakes.clone()));
    EventPoll::new(fakes.clone(), fakes.clone(), signer, fakes.clone(), WAIT)
}

fn ctx(scopes: Vec<Scope>) -> RequestContext {
    RequestContext {
        principal: Principal {
            tenant_id: TenantId(Uuid::now_v7()),
            tenant_slug: TenantSlug::parse("acme").unwrap(),
            subject: "tok1".into(),
            scopes,
            claims: Map::new(),
            policy: None,
        },
        base_url: "https://scim.example.com/t/acme/scim/v2".into(),
        request_id: None,
    }
}

fn event(sequence: i64) -> ChangeEvent {
    ChangeEvent {
        sequence,
        event: NewEvent {
            id: Uuid::now_v7(),
            txn: Uuid::now_v7(),
            operation: Operation::Delete,
            kind: ResourceKind::User,
            resource_id: Uuid::now_v7(),
            external_id: None,
            version: 1,
            actor: "idp".into(),
            request_id: None,
            at: DateTime::UNIX_EPOCH,
            payload: EventPayload::default(),
        },
    }
}

async fn poll(fakes: &Arc<Fakes>, body: Value) -> DomainResult<PollAnswer> {
    let reader = ctx(vec![Scope::EventsRead]);
    service(fakes)
        .poll(&reader, "https://scim.example.com", Variant::Full, &body)
        .await
}

#[tokio::test]
async fn acknowledgements_come_first_and_sets_are_signed_for_the_caller() {
    let fakes = Arc::new(Fakes::default());
    let stored = event(1);
    fakes.pending.lock().unwrap().push(stored.clone());
    let jti = Uuid::now_v7().to_string();

    let answer = poll(
        &fakes,
        json!({"maxEvents": 5, "ack": [jti], "setErrs": {"x": {"err": "invalid_key"}}}),
    )
    .await
    .unwrap();

    assert_eq!(fakes.calls(), ["ack tok1 1", "pending tok1 5"]);
    let id = stored.event.id.to_string();
    let set: Value = serde_json::from_str(answer.sets[&id].as_str().unwrap()).unwrap();
    assert_eq!(set["kid"], json!("k1"));
    assert_eq!(set["claims"]["aud"], json!("tok1"));
    assert_eq!(
        set["claims"]["iss"],
        json!("https://scim.example.com/t/acme")
    );
    assert_eq!(set["claims"]["jti"], json!(id));
}

#[tokio::test]
async fn a_long_poll_waits_past_the_head_it_saw_and_answers_what_arrived() {
    let fakes = Arc::new(Fakes::default());
    fakes.arriving.lock().unwrap().push(event(1));

    let answer = poll(&fakes, json!({})).await.unwrap();

    assert_eq!(answer.sets.len(), 1);
    assert_eq!(
        fakes.calls(),
        ["pending tok1 10", "wait past 0 for 30s", "pending tok1 10"]
    );
}

#[tokio::test]
async fn a_long_poll_ends_empty_at_its_bound_and_short_ones_never_wait() {
    let fakes = Arc::new(Fakes::default());
    let waited = poll(&fakes, json!({})).await.unwrap();
    assert_eq!(waited.sets, Map::new());
    assert_eq!(fakes.calls().len(), 3, "one wait, then a last look");

    let fakes = Arc::new(Fakes::default());
    poll(&fakes, json!({"returnImmediately": true}))
        .await
        .unwrap();
    poll(&fakes, json!({"maxEvents": 0})).await.unwrap();
    assert_eq!(
        fakes.calls(),
        ["pending tok1 10"],
        "maxEvents 0 reads nothing"
    );
}

#[tokio::test]
async fn only_event_readers_poll_and_bad_bodies_are_refused_before_anything_is_recorded() {
    let fakes = Arc::new(Fakes::default());
    let writer = ctx(vec![Scope::Write]);
    let refused = service(&fakes)
        .poll(&writer, "https://x", Variant::Full, &json!({}))
        .await;
    assert!(matches!(refused, Err(DomainError::Forbidden(_))));
    let bad = poll(
        &fakes,
        json!({"ack": [Uuid::now_v7().to_string()], "maxEvents": -1}),
    )
    .await;
    assert!(matches!(bad, Err(DomainError::InvalidValue(_))));
    assert!(fakes.calls().is_empty());
}
