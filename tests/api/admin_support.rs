//! What the tenant self-service and audit tests share: a `scim:admin` token per tenant and
//! requests to `/t/{tenant}/admin/v1/...`.

use reqwest::RequestBuilder;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::tenant::TenantSlug;
use serde_json::Value;

use crate::helpers::{TestApp, TestTenant, header, spawn_tenant};

/// A bearer token and its public id (the audit actor).
pub struct Credential {
    pub token: String,
    pub id: String,
}

/// The id part of `scimgate_<id>_<secret>`.
pub fn token_id(token: &str) -> String {
    token
        .trim_start_matches("scimgate_")
        .split('_')
        .next()
        .unwrap()
        .to_owned()
}

/// Issues a token of `slug` (which must exist) with `scopes`, as the operator.
pub async fn issue(app: &TestApp, slug: &str, scopes: &[Scope]) -> Credential {
    let issued = app
        .state
        .tokens
        .issue(
            &AdminContext::operator(None),
            &TenantSlug::parse(slug).unwrap(),
            TokenRequest {
                name: scimgate_domain::admin_name::AdminName::parse("tenant-admin").unwrap(),
                scopes: scopes.to_vec(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    Credential {
        id: issued.record.id.to_string(),
        token: issued.token,
    }
}

/// A `scim:admin`-only token of `slug`.
pub async fn admin_token(app: &TestApp, slug: &str) -> Credential {
    issue(app, slug, &[Scope::Admin]).await
}

/// A fresh app, tenant `acme` with a full-access token, and a `scim:admin` token of it.
pub async fn spawn_with_admin() -> (TestApp, TestTenant, Credential) {
    let (app, acme) = spawn_tenant("acme").await;
    let admin = admin_token(&app, "acme").await;
    (app, acme, admin)
}

pub fn tenant_admin_url(app: &TestApp, slug: &str, path: &str) -> String {
    format!("{}/t/{slug}/admin/v1{path}", app.origin)
}

/// A JSON request to the tenant admin API of `slug` with `token`.
pub fn tenant_admin(
    app: &TestApp,
    method: reqwest::Method,
    slug: &str,
    path: &str,
    token: &str,
) -> RequestBuilder {
    app.client
        .request(method, tenant_admin_url(app, slug, path))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
}

/// GETs `path` of the tenant admin API of `slug` with `token`; see [`exchange`].
pub async fn admin_get(app: &TestApp, slug: &str, path: &str, token: &str) -> (u16, Value, String) {
    admin_call(app, reqwest::Method::GET, slug, path, token).await
}

/// Sends `method` without a body to the tenant admin API of `slug`; see [`exchange`].
pub async fn admin_call(
    app: &TestApp,
    method: reqwest::Method,
    slug: &str,
    path: &str,
    token: &str,
) -> (u16, Value, String) {
    exchange(tenant_admin(app, method, slug, path, token)).await
}

/// Sends `method` with `body` to the tenant admin API of `slug` with `token`; see [`exchange`].
pub async fn admin_send(
    app: &TestApp,
    method: reqwest::Method,
    slug: &str,
    path: &str,
    token: &str,
    body: &Value,
) -> (u16, Value, String) {
    exchange(tenant_admin(app, method, slug, path, token).body(body.to_string())).await
}

/// Sends and returns the status, the JSON body and the raw body text.
pub async fn exchange(request: RequestBuilder) -> (u16, Value, String) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, body, text)
}

/// The `WWW-Authenticate` header of a response (empty when absent).
pub fn challenge(response: &reqwest::Response) -> String {
    header(response, "www-authenticate")
}
