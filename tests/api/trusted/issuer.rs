//! A stand-in for a tenant's own authorization server, on 127.0.0.1: it signs JWTs (RS256 and
//! ES256), publishes its keys at `/jwks.json`, answers RFC 7662 `/introspect` for the opaque
//! tokens it knows (client_secret_basic only), and counts every hit on both.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{HttpRequest, HttpResponse, web};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::counterpart::serve;

pub const INTROSPECTION_CLIENT: &str = "scimgate-rs";
pub const INTROSPECTION_SECRET: &str = "introspection-s3cret";

/// A signing key and its public JWK.
#[derive(Clone)]
pub struct TestKey {
    pub kid: String,
    pub alg: Algorithm,
    encoding: EncodingKey,
    jwk: Value,
}

impl TestKey {
    pub fn es256(kid: &str) -> Self {
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .unwrap();
        Self::new(
            kid,
            Algorithm::ES256,
            EncodingKey::from_ec_der(pkcs8.as_ref()),
        )
    }

    pub fn rs256(kid: &str) -> Self {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let pkcs8 = pair.as_der().unwrap();
        Self::new(
            kid,
            Algorithm::RS256,
            EncodingKey::from_rsa_der(pkcs1(pkcs8.as_ref())),
        )
    }

    fn new(kid: &str, alg: Algorithm, encoding: EncodingKey) -> Self {
        let mut jwk = Jwk::from_encoding_key(&encoding, alg).unwrap();
        jwk.common.key_id = Some(kid.to_owned());
        Self {
            kid: kid.to_owned(),
            alg,
            encoding,
            jwk: serde_json::to_value(jwk).unwrap(),
        }
    }

    /// Signs `claims` with this key, naming `kid` in the header.
    pub fn sign_as(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }

    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.kid, claims)
    }
}

/// The RSAPrivateKey (PKCS#1) inside a 2048-bit key's PKCS#8 PrivateKeyInfo: jsonwebtoken
/// wants the former, aws-lc-rs writes the latter. The layout is fixed for this key size.
fn pkcs1(pkcs8: &[u8]) -> &[u8] {
    assert_eq!(
        &pkcs8[22..24],
        &[0x04, 0x82],
        "PKCS#8 of a 2048-bit RSA key"
    );
    let len = usize::from(pkcs8[24]) << 8 | usize::from(pkcs8[25]);
    &pkcs8[26..26 + len]
}

#[derive(Default)]
struct IssuerState {
    keys: Mutex<Vec<TestKey>>,
    /// Opaque tokens the introspection endpoint calls active, with their answer.
    active: Mutex<HashMap<String, Value>>,
    jwks_hits: AtomicUsize,
    introspection_hits: AtomicUsize,
}

pub struct FakeIssuer {
    /// `http://127.0.0.1:port`, also the `iss` of its tokens.
    pub url: String,
    state: Arc<IssuerState>,
}

impl FakeIssuer {
    /// Starts a server publishing `keys`.
    pub async fn start(keys: Vec<TestKey>) -> Self {
        let state = Arc::new(IssuerState::default());
        *state.keys.lock().unwrap() = keys;
        let port = serve(state.clone(), 1, |routes| {
            routes
                .route("/jwks.json", web::get().to(jwks))
                .route("/introspect", web::post().to(introspect));
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            state,
        }
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks.json", self.url)
    }

    pub fn introspection_url(&self) -> String {
        format!("{}/introspect", self.url)
    }

    pub fn jwks_hits(&self) -> usize {
        self.state.jwks_hits.load(Ordering::SeqCst)
    }

    pub fn introspection_hits(&self) -> usize {
        self.state.introspection_hits.load(Ordering::SeqCst)
    }

    /// Publishes `keys` instead of the current ones (a key rotation).
    pub fn publish(&self, keys: Vec<TestKey>) {
        *self.state.keys.lock().unwrap() = keys;
    }

    /// Makes the introspection endpoint call `token` active with `answer`'s members.
    pub fn activate(&self, token: &str, answer: Value) {
        self.state
            .active
            .lock()
            .unwrap()
            .insert(token.to_owned(), answer);
    }

    /// Standard claims of a token of this issuer for `audience`, valid for ten minutes.
    pub fn claims(&self, audience: &str, scope: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.url,
            "sub": "svc-partner-a",
            "aud": audience,
            "scope": scope,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
        })
    }
}

async fn jwks(state: web::Data<IssuerState>) -> HttpResponse {
    state.jwks_hits.fetch_add(1, Ordering::SeqCst);
    let keys: Vec<Value> = state
        .keys
        .lock()
        .unwrap()
        .iter()
        .map(|key| key.jwk.clone())
        .collect();
    HttpResponse::Ok().json(json!({ "keys": keys }))
}

async fn introspect(
    req: HttpRequest,
    state: web::Data<IssuerState>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    state.introspection_hits.fetch_add(1, Ordering::SeqCst);
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{INTROSPECTION_CLIENT}:{INTROSPECTION_SECRET}"))
    );
    let authorized = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str());
    if !authorized {
        return HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}));
    }
    let token = form.get("token").cloned().unwrap_or_default();
    let answer = state.active.lock().unwrap().get(&token).cloned();
    match answer {
        Some(Value::Object(mut members)) => {
            members.insert("active".into(), Value::Bool(true));
            HttpResponse::Ok().json(Value::Object(members))
        }
        _ => HttpResponse::Ok().json(json!({"active": false})),
    }
}
