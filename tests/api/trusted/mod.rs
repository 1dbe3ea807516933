//! A tenant trusting its own authorization server: JWTs verified against the issuer's JWKS
//! (fetched once, refetched on rotation, never hammered), opaque tokens introspected (and
//! cached), scopes and policies applied, tenants kept apart, and the operator's API. The
//! issuer is a real HTTP server on 127.0.0.1 that counts its hits.

mod admin;
mod introspection;
pub mod issuer;
mod jwt;
mod me;
mod sealed;
mod self_service;

use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::trusted_issuer::{
    IntrospectionSecret, TrustedIssuer, TrustedIssuerRequest,
};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use serde_json::{Value, json};

use crate::helpers::{ENTERPRISE, TestApp, TestTenant, USER_SCHEMA, org_row_filter, spawn_tenant};
use issuer::{FakeIssuer, INTROSPECTION_CLIENT, INTROSPECTION_SECRET, TestKey};

pub const AUDIENCE: &str = "api://scimgate";

/// Partners see and write only the users of their own organisation.
pub fn org_policy() -> Value {
    json!({"userFilter": org_row_filter()})
}

fn request(
    app: &TestApp,
    issuer: &FakeIssuer,
    scopes: &[Scope],
    policy: Option<Value>,
) -> TrustedIssuerRequest {
    TrustedIssuerRequest {
        issuer: issuer.url.clone(),
        audience: AUDIENCE.into(),
        allowed_scopes: scopes.to_vec(),
        copy_claims: vec!["org".into()],
        policy: policy.map(|p| Policy::parse(p, app.state.resources.registry()).unwrap()),
        ..Default::default()
    }
}

/// `slug` trusts `issuer`'s JWTs, verified with its JWKS.
pub async fn trust_jwks(
    app: &TestApp,
    slug: &str,
    issuer: &FakeIssuer,
    scopes: &[Scope],
    policy: Option<Value>,
) -> TrustedIssuer {
    let request = TrustedIssuerRequest {
        jwks_url: Some(issuer.jwks_url()),
        ..request(app, issuer, scopes, policy)
    };
    trust(app, slug, request).await
}

/// `slug` trusts `issuer`'s tokens as its introspection endpoint answers for them.
pub async fn trust_introspection(
    app: &TestApp,
    slug: &str,
    issuer: &FakeIssuer,
    scopes: &[Scope],
    policy: Option<Value>,
) -> TrustedIssuer {
    let request = TrustedIssuerRequest {
        introspection_url: Some(issuer.introspection_url()),
        client_id: Some(INTROSPECTION_CLIENT.into()),
        client_secret: Some(IntrospectionSecret::new(INTROSPECTION_SECRET.into())),
        ..request(app, issuer, scopes, policy)
    };
    trust(app, slug, request).await
}

async fn trust(app: &TestApp, slug: &str, request: TrustedIssuerRequest) -> TrustedIssuer {
    app.state
        .trusted_issuers
        .create(
            &AdminContext::operator(None),
            &TenantSlug::parse(slug).unwrap(),
            request,
        )
        .await
        .unwrap()
}

/// A fresh app whose tenant `acme` trusts a fake issuer's JWTs signed with `key`.
pub async fn acme_trusting_jwks(key: &TestKey) -> (TestApp, FakeIssuer) {
    let (app, _acme) = spawn_tenant("acme").await;
    let issuer = FakeIssuer::start(vec![key.clone()]).await;
    trust_jwks(&app, "acme", &issuer, &[], None).await;
    (app, issuer)
}

/// A fresh app whose tenant `acme` trusts a fake issuer's introspection answers.
pub async fn acme_trusting_introspection() -> (TestApp, FakeIssuer, TrustedIssuer) {
    let (app, _acme) = spawn_tenant("acme").await;
    let issuer = FakeIssuer::start(Vec::new()).await;
    let entry = trust_introspection(&app, "acme", &issuer, &[], None).await;
    (app, issuer, entry)
}

/// Creates (with the tenant's own full-access token) a user of organisation `org`.
pub async fn user_of(app: &TestApp, tenant: &TestTenant, user_name: &str, org: &str) -> Value {
    let body = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        ENTERPRISE: {"organization": org},
    });
    let response = app.post(tenant, "/Users", &body).await;
    assert_eq!(response.status(), 201, "creating {user_name}");
    response.json().await.unwrap()
}

/// The `userName`s a list response holds.
pub fn user_names(list: &Value) -> Vec<String> {
    list["Resources"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|r| r["userName"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `GET {origin}{path}` with a bearer token.
pub async fn get(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    crate::oauth::support::get_with(app, path, token).await
}

/// Asserts a 401 carrying the RFC 6750 challenge.
pub async fn assert_invalid_token(response: reqwest::Response) {
    let challenge = crate::helpers::header(&response, "www-authenticate");
    assert!(
        challenge.contains("error=\"invalid_token\""),
        "{challenge:?}"
    );
    crate::helpers::assert_scim_error(response, 401, None).await;
}
