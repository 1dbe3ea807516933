//! `spawn_app()`: the real app on a random 127.0.0.1 port with fresh storage per test —
//! a SQLite file in a temp folder, or a new PostgreSQL schema when `TEST_DATABASE_URL` is set —
//! and Redis as the cache (under a fresh key prefix) when `TEST_REDIS_URL` is set.

use std::sync::Arc;

use reqwest::Client;
use scimgate_api::config::Settings;
use scimgate_api::startup::{Application, build_state, open_database};
use scimgate_api::state::AppState;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::context::AdminContext;
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::tenant::TenantSlug;
use scimgate_infra::db::DatabaseConnection;
use secrecy::SecretString;
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

mod assertions;
mod bodies;
pub mod counterpart;
pub mod raw_http;
mod requests;

pub use assertions::{
    assert_scim_error, bulk_statuses, etag, header, id, json_ok, listed, member_ids, path_of,
    texts, users_in,
};
pub use bodies::{
    BULK_REQUEST, BULK_RESPONSE, ENTERPRISE, ERROR_SCHEMA, GROUP_SCHEMA, LIST_RESPONSE, PATCH_OP,
    SEARCH_REQUEST, USER_SCHEMA, bulk, group, org_path, org_row_filter, patch_op, user,
};
pub use requests::{send, status_json};

pub const ADMIN_KEY: &str = "test-operator-key";

pub struct TestApp {
    pub origin: String,
    pub client: Client,
    pub state: Arc<AppState>,
    /// The app's own database, for tests that need to break it on purpose.
    pub db: DatabaseConnection,
    _data: TempDir,
}

/// A tenant with a full-access token.
#[derive(Clone)]
pub struct TestTenant {
    pub slug: String,
    pub token: String,
    /// `http://127.0.0.1:port/t/{slug}/scim/v2`
    pub base: String,
}

impl TestTenant {
    /// The same tenant and base as seen through another bearer token.
    pub fn with_token(&self, token: impl Into<String>) -> TestTenant {
        TestTenant {
            slug: self.slug.clone(),
            token: token.into(),
            base: self.base.clone(),
        }
    }
}

pub fn test_settings(data: &TempDir) -> Settings {
    let mut settings = Settings::defaults().expect("default settings");
    settings.listen = "127.0.0.1:0".into();
    settings.admin_key = Some(SecretString::from(ADMIN_KEY));
    settings.max_body_bytes = 64 * 1024;
    settings.default_page_size = 50;
    settings.max_page_size = 200;
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            settings.database_url = Some(SecretString::from(url));
            settings.database_schema = Some(format!("t_{}", Uuid::now_v7().simple()));
            settings.database_max_connections = 5;
        }
        _ => {
            let file = data.path().join("scimgate.sqlite");
            settings.database_url = Some(SecretString::from(format!(
                "sqlite://{}?mode=rwc",
                file.display()
            )));
        }
    }
    if let Ok(url) = std::env::var("TEST_REDIS_URL")
        && !url.is_empty()
    {
        settings.redis_url = Some(SecretString::from(url));
        settings.redis_prefix = format!("test-{}", Uuid::now_v7().simple());
    }
    settings
}

pub async fn spawn_app() -> TestApp {
    let data = tempfile::tempdir().expect("temp dir");
    spawn_with(test_settings(&data), data).await
}

/// The app with `configure` applied to the test settings first.
pub async fn spawn_configured(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let data = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(&data);
    configure(&mut settings);
    spawn_with(settings, data).await
}

/// A fresh app and one tenant `slug` with a full-access token: most tests start here.
pub async fn spawn_tenant(slug: &str) -> (TestApp, TestTenant) {
    let app = spawn_app().await;
    let tenant = app.tenant(slug).await;
    (app, tenant)
}

/// A fresh app, tenant `acme`, and user `user_name` created in it with its path.
pub async fn spawn_with_user(user_name: &str) -> (TestApp, TestTenant, Value, String) {
    let (app, acme) = spawn_tenant("acme").await;
    let user = app.create_user(&acme, user_name).await;
    let path = path_of(&user);
    (app, acme, user, path)
}

pub async fn spawn_with(settings: Settings, data: TempDir) -> TestApp {
    let conn = open_database(&settings)
        .await
        .expect("database opens and migrates");
    let db = conn.clone();
    let state = Arc::new(build_state(&settings, conn).await.expect("state builds"));
    let app = Application::bind(&settings.listen, state.clone()).expect("binds");
    tokio::spawn(app.server);
    TestApp {
        origin: format!("http://127.0.0.1:{}", app.port),
        client: Client::new(),
        state,
        db,
        _data: data,
    }
}

impl TestApp {
    /// Creates a tenant and a token with the given scopes (all SCIM scopes when empty).
    pub async fn tenant_with_scopes(&self, slug: &str, scopes: &[Scope]) -> TestTenant {
        let slug = TenantSlug::parse(slug).expect("valid slug");
        self.state
            .tenants
            .create(&AdminContext::operator(None), slug.clone(), None)
            .await
            .expect("tenant created");
        let token = self
            .issue_with(
                slug.as_str(),
                TokenRequest {
                    name: scimgate_domain::admin_name::AdminName::parse("test").unwrap(),
                    scopes: scopes.to_vec(),
                    ..Default::default()
                },
            )
            .await;
        TestTenant {
            base: format!("{}/t/{slug}/scim/v2", self.origin),
            slug: slug.to_string(),
            token,
        }
    }

    /// Issues a token of tenant `slug` for `request` through the use case; returns the token.
    pub async fn issue_with(&self, slug: &str, request: TokenRequest) -> String {
        let slug = TenantSlug::parse(slug).expect("valid slug");
        self.state
            .tokens
            .issue(&AdminContext::operator(None), &slug, request)
            .await
            .expect("token issued")
            .token
    }

    pub async fn tenant(&self, slug: &str) -> TestTenant {
        self.tenant_with_scopes(slug, &[]).await
    }

    /// Creates a user and returns its representation.
    pub async fn create_user(&self, tenant: &TestTenant, user_name: &str) -> Value {
        self.create_at(tenant, "/Users", &user(user_name)).await
    }

    /// POSTs `body` to `path`, asserts a 201 and returns the created representation.
    pub async fn create_at(&self, tenant: &TestTenant, path: &str, body: &Value) -> Value {
        let (status, created) = status_json(self.post_request(tenant, path, body)).await;
        assert_eq!(status, 201, "creating {body} at {path}: {created}");
        created
    }

    /// Creates a group with the given member ids and returns its representation.
    pub async fn create_group(&self, tenant: &TestTenant, name: &str, members: &[&str]) -> Value {
        self.create_at(tenant, "/Groups", &group(name, members))
            .await
    }
}
