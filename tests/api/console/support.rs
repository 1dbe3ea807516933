//! A browser stand-in for console tests: no automatic redirects (the tests check them), the
//! session cookie carried by hand, the CSRF token read from the page.

use reqwest::{Client, Method, Response, redirect};
use serde_json::{Value, json};

use crate::helpers::{TestApp, status_json};

pub fn browser() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// Makes a setup link of `slug` through the operator API; its whole answer.
pub async fn operator_link(app: &TestApp, slug: &str, body: Value) -> (u16, Value) {
    status_json(
        app.operator(Method::POST, &format!("/tenants/{slug}/setup-links"))
            .json(&body),
    )
    .await
}

/// A new link's URL, asserting the 201.
pub async fn link_url(app: &TestApp, slug: &str) -> String {
    let (status, body) = operator_link(app, slug, json!({})).await;
    assert_eq!(status, 201, "{body}");
    body["url"].as_str().unwrap().to_owned()
}

/// The code in a setup URL.
pub fn code_of(url: &str) -> String {
    url.rsplit_once("/console/setup/").unwrap().1.to_owned()
}

/// Posts the setup form with `code`, as the button on the link's page does.
pub async fn redeem(app: &TestApp, code: &str) -> Response {
    browser()
        .post(format!("{}/console/setup", app.origin))
        .form(&[("code", code)])
        .send()
        .await
        .unwrap()
}

/// A signed-in browser of one tenant.
pub struct Session {
    /// `scimgate_console=<value>`, for the `Cookie` header.
    pub cookie: String,
    pub slug: String,
}

/// The `Set-Cookie` header of a response.
pub fn set_cookie(response: &Response) -> String {
    response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Makes a link for `slug` and redeems it.
pub async fn sign_in(app: &TestApp, slug: &str) -> Session {
    let response = redeem(app, &code_of(&link_url(app, slug).await)).await;
    assert_eq!(response.status(), 303);
    let cookie = set_cookie(&response).split(';').next().unwrap().to_owned();
    Session {
        cookie,
        slug: slug.to_owned(),
    }
}

impl Session {
    pub async fn get(&self, app: &TestApp, path: &str) -> Response {
        browser()
            .get(format!("{}{path}", app.origin))
            .header("Cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    /// GETs a page, asserting a 200, and returns its HTML.
    pub async fn page(&self, app: &TestApp, path: &str) -> String {
        let response = self.get(app, path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    pub async fn post(&self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> Response {
        browser()
            .post(format!("{}{path}", app.origin))
            .header("Cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token the tenant's tokens page carries.
    pub async fn csrf(&self, app: &TestApp) -> String {
        let html = self
            .page(app, &format!("/console/t/{}/tokens", self.slug))
            .await;
        hidden_value(&html, "csrf")
    }
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..][..html[start..].find('"').unwrap()].to_owned()
}

/// The value of the read-only input with id `id` (a copyable value).
pub fn copyable_value(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"{id}\"")).unwrap();
    let rest = &html[at..];
    let marker = "value=\"";
    let start = rest.find(marker).unwrap() + marker.len();
    rest[start..][..rest[start..].find('"').unwrap()].to_owned()
}
