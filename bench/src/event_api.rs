//! What the event scenarios send: admin API calls with the operator key (webhooks of the events
//! tenant) and the `POST /Users` they write with.

use anyhow::{Context, bail};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::load::{Body, Target};
use crate::users::UserSpec;

/// The admin API and SCIM endpoints of the events tenant.
pub struct Api<'a> {
    pub client: &'a Client,
    pub origin: &'a str,
    pub admin_key: &'a str,
    pub slug: String,
    pub token: String,
    pub run_id: &'a str,
}

/// One request with a bearer credential and an optional JSON body; the answer's JSON (or null).
pub async fn call(
    client: &Client,
    method: Method,
    url: &str,
    bearer: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let mut request = client.request(method.clone(), url).bearer_auth(bearer);
    if let Some(body) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("{method} {url}"))?;
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {
        bail!(
            "{method} {url}: {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        );
    }
    Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

impl Api<'_> {
    fn tenant_url(&self) -> String {
        format!("{}/admin/v1/tenants/{}", self.origin, self.slug)
    }

    async fn admin(&self, method: Method, url: &str, body: Option<Value>) -> anyhow::Result<Value> {
        call(self.client, method, url, self.admin_key, body).await
    }

    /// Registers `url` for every event; returns the webhook's id.
    pub async fn register(&self, url: &str) -> anyhow::Result<String> {
        let created = self
            .admin(
                Method::POST,
                &format!("{}/webhooks", self.tenant_url()),
                Some(json!({ "url": url })),
            )
            .await?;
        Ok(created
            .get("id")
            .and_then(Value::as_str)
            .context("the created webhook has no id")?
            .to_owned())
    }

    pub async fn set_status(&self, id: &str, status: &str) -> anyhow::Result<()> {
        let url = format!("{}/webhooks/{id}", self.tenant_url());
        self.admin(Method::PATCH, &url, Some(json!({ "status": status })))
            .await?;
        Ok(())
    }

    pub async fn unregister(&self, id: &str) -> anyhow::Result<()> {
        let url = format!("{}/webhooks/{id}", self.tenant_url());
        self.admin(Method::DELETE, &url, None).await?;
        Ok(())
    }

    /// `POST /Users` of a new user per request, named after `tag` and the run.
    pub fn post_user(&self, tag: &str) -> Target {
        let prefix = format!("bench-{tag}-{}", self.run_id);
        Target {
            method: Method::POST,
            url: format!("{}/t/{}/scim/v2/Users", self.origin, self.slug),
            token: Some(self.token.clone()),
            body: Body::counted(move |n| {
                let mut document = UserSpec::new(0, n).document();
                document["userName"] = json!(format!("{prefix}-{n}@example.com"));
                document.as_object_mut().map(|o| o.remove("externalId"));
                document.to_string()
            }),
            expect: Some(StatusCode::CREATED),
            one_connection: false,
            creates_per_request: None,
        }
    }
}
