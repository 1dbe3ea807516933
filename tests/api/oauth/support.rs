//! What the OAuth tests share: clients created through the app's own use case, tokens fetched
//! with the `oauth2` crate, raw token requests for the error cases, and JWT inspection.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use oauth2::basic::{BasicClient, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope as OAuthScope, TokenUrl};
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::client::FixedClaims;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::clients::ClientRequest;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::tenant::TenantSlug;
use serde_json::Value;

use crate::helpers::{TestApp, TestTenant};

pub struct TestClient {
    pub id: String,
    pub secret: String,
}

impl TestClient {
    /// The credentials the operator or tenant admin API answered a client's creation with.
    pub fn from_created(created: &Value) -> Self {
        let text = |key: &str| {
            created[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {created}"))
                .to_owned()
        };
        Self {
            id: text("clientId"),
            secret: text("clientSecret"),
        }
    }
}

/// Creates an OAuth client of `slug` (which must exist) with the given allowed scopes (the
/// default ones when empty) and fixed claims.
pub async fn create_client(
    app: &TestApp,
    slug: &str,
    scopes: &[Scope],
    claims: Value,
) -> TestClient {
    create_client_with_policy(app, slug, scopes, claims, None).await
}

/// Like [`create_client`], with a policy (parsed against the app's schemas) when given.
pub async fn create_client_with_policy(
    app: &TestApp,
    slug: &str,
    scopes: &[Scope],
    claims: Value,
    policy: Option<Value>,
) -> TestClient {
    let policy =
        policy.map(|policy| Policy::parse(policy, app.state.resources.registry()).unwrap());
    let issued = app
        .state
        .clients
        .create(
            &AdminContext::operator(None),
            &TenantSlug::parse(slug).unwrap(),
            ClientRequest {
                name: scimgate_domain::admin_name::AdminName::parse("partner").unwrap(),
                scopes: scopes.to_vec(),
                claims: FixedClaims::parse(claims).unwrap(),
                policy,
            },
        )
        .await
        .unwrap();
    TestClient {
        id: issued.client.client_id.to_string(),
        secret: issued.client_secret,
    }
}

/// `tenant` as seen through a JWT `client` gets at `/oauth/token`.
pub async fn as_client(app: &TestApp, tenant: &TestTenant, client: &TestClient) -> TestTenant {
    tenant.with_token(access_token(app, client).await)
}

fn http() -> oauth2::reqwest::Client {
    oauth2::reqwest::ClientBuilder::new()
        .redirect(oauth2::reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub type TokenError = RequestTokenError<
    oauth2::HttpClientError<oauth2::reqwest::Error>,
    oauth2::StandardErrorResponse<BasicErrorResponseType>,
>;

/// Runs the client credentials grant with the `oauth2` crate, authenticating the client
/// with HTTP Basic (`client_secret_basic`) or in the body (`client_secret_post`).
pub async fn fetch_token_with(
    app: &TestApp,
    client: &TestClient,
    scopes: &[&str],
    auth: AuthType,
) -> Result<BasicTokenResponse, TokenError> {
    let oauth = BasicClient::new(ClientId::new(client.id.clone()))
        .set_client_secret(ClientSecret::new(client.secret.clone()))
        .set_token_uri(TokenUrl::new(format!("{}/oauth/token", app.origin)).unwrap())
        .set_auth_type(auth);
    oauth
        .exchange_client_credentials()
        .add_scopes(scopes.iter().map(|s| OAuthScope::new((*s).to_owned())))
        .request_async(&http())
        .await
}

pub async fn fetch_token(
    app: &TestApp,
    client: &TestClient,
    scopes: &[&str],
) -> Result<BasicTokenResponse, TokenError> {
    fetch_token_with(app, client, scopes, AuthType::BasicAuth).await
}

/// The access token of a successful grant.
pub async fn access_token(app: &TestApp, client: &TestClient) -> String {
    use oauth2::TokenResponse;
    fetch_token(app, client, &[])
        .await
        .unwrap()
        .access_token()
        .secret()
        .clone()
}

/// The RFC 6749 error code of a refused grant.
pub fn error_code(result: Result<BasicTokenResponse, TokenError>) -> BasicErrorResponseType {
    match result {
        Err(RequestTokenError::ServerResponse(response)) => response.error().clone(),
        Err(other) => panic!("expected an OAuth error response, got {other:?}"),
        Ok(_) => panic!("expected an OAuth error response, got a token"),
    }
}

/// A token request as raw form fields, with optional HTTP Basic credentials.
pub async fn post_token(
    app: &TestApp,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/oauth/token", app.origin))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded_pairs(form));
    if let Some((id, secret)) = basic {
        let credentials = STANDARD.encode(format!("{id}:{secret}"));
        request = request.header("Authorization", format!("Basic {credentials}"));
    }
    request.send().await.unwrap()
}

fn serde_urlencoded_pairs(form: &[(&str, &str)]) -> String {
    oauth2::url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}

/// The header and claims of a JWT, read without verifying it.
pub fn jwt_parts(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut decode = || {
        let part = parts.next().unwrap();
        serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    (decode(), decode())
}

/// GET `{origin}{path}` with a bearer token.
pub async fn get_with(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.get_url(&format!("{}{path}", app.origin), Some(token))
        .await
}
