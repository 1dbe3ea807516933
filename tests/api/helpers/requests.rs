//! Requests to a tenant's SCIM base with its token. The `*_request` builders are for requests
//! that need more (headers, a query, a raw body); the plain verbs send and return the response.

use jsonwebtoken::jwk::JwkSet;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

use super::{ADMIN_KEY, TestApp, TestTenant, json_ok, patch_op};

impl TestApp {
    pub fn request(&self, method: Method, tenant: &TestTenant, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", tenant.base))
            .bearer_auth(&tenant.token)
    }

    pub fn get_request(&self, tenant: &TestTenant, path: &str) -> RequestBuilder {
        self.request(Method::GET, tenant, path)
    }

    pub fn delete_request(&self, tenant: &TestTenant, path: &str) -> RequestBuilder {
        self.request(Method::DELETE, tenant, path)
    }

    /// A request with `body` as `application/scim+json`.
    pub fn json_request(
        &self,
        method: Method,
        tenant: &TestTenant,
        path: &str,
        body: &Value,
    ) -> RequestBuilder {
        self.request(method, tenant, path)
            .header("Content-Type", "application/scim+json")
            .body(body.to_string())
    }

    pub fn post_request(&self, tenant: &TestTenant, path: &str, body: &Value) -> RequestBuilder {
        self.json_request(Method::POST, tenant, path, body)
    }

    pub fn put_request(&self, tenant: &TestTenant, path: &str, body: &Value) -> RequestBuilder {
        self.json_request(Method::PUT, tenant, path, body)
    }

    /// A PATCH request whose body is `body` as given (a whole PatchOp, or something that is not).
    pub fn patch_request(&self, tenant: &TestTenant, path: &str, body: &Value) -> RequestBuilder {
        self.json_request(Method::PATCH, tenant, path, body)
    }

    pub async fn get(&self, tenant: &TestTenant, path: &str) -> Response {
        send(self.get_request(tenant, path)).await
    }

    pub async fn delete(&self, tenant: &TestTenant, path: &str) -> Response {
        send(self.delete_request(tenant, path)).await
    }

    pub async fn post(&self, tenant: &TestTenant, path: &str, body: &Value) -> Response {
        send(self.post_request(tenant, path, body)).await
    }

    pub async fn put(&self, tenant: &TestTenant, path: &str, body: &Value) -> Response {
        send(self.put_request(tenant, path, body)).await
    }

    /// Sends a PatchOp carrying `operations` (a JSON array).
    pub async fn patch(&self, tenant: &TestTenant, path: &str, operations: Value) -> Response {
        send(self.patch_request(tenant, path, &patch_op(operations))).await
    }

    /// GETs `url` (a whole URL) with `token` as the bearer, or with no credentials.
    pub async fn get_url(&self, url: &str, token: Option<&str>) -> Response {
        let request = self.client.get(url);
        send(match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        })
        .await
    }

    /// GETs `path` of the server's origin (not a tenant's base) without credentials.
    pub async fn get_public(&self, path: &str) -> Response {
        self.get_url(&format!("{}{path}", self.origin), None).await
    }

    /// Like [`Self::get_public`], asserting a 2xx and returning the JSON body.
    pub async fn public_json(&self, path: &str) -> Value {
        json_ok(self.get_public(path).await).await
    }

    /// The server's JWK Set, as token and SET verifiers fetch it.
    pub async fn jwks(&self) -> JwkSet {
        serde_json::from_value(self.public_json("/.well-known/jwks.json").await).expect("a JWK Set")
    }

    /// GETs `path` of the operator API, asserts a 2xx and returns the JSON body.
    pub async fn operator_get(&self, path: &str) -> Value {
        json_ok(send(self.operator(Method::GET, path)).await).await
    }

    /// Sends `method` to the operator API with `body` (if any) and returns status and JSON.
    pub async fn operator_json(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let request = self.operator(method, path);
        status_json(match body {
            Some(body) => request.json(body),
            None => request,
        })
        .await
    }

    /// A request to the operator API (`/admin/v1{path}`) with the operator key.
    pub fn operator(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}/admin/v1{path}", self.origin))
            .bearer_auth(ADMIN_KEY)
    }

    /// Issues a token of tenant `slug` through the operator API, asserts a 201 and returns
    /// what the API answered (the token, its id, claims and policy).
    pub async fn issue_token(&self, slug: &str, request: &Value) -> Value {
        let (status, issued) = status_json(
            self.operator(Method::POST, &format!("/tenants/{slug}/tokens"))
                .json(request),
        )
        .await;
        assert_eq!(status, 201, "issuing {request}: {issued}");
        issued
    }

    /// `tenant` as seen through a new token issued for `request`.
    pub async fn token_for(&self, tenant: &TestTenant, request: &Value) -> TestTenant {
        let issued = self.issue_token(&tenant.slug, request).await;
        TestTenant {
            slug: tenant.slug.clone(),
            token: issued["token"].as_str().expect("token").to_owned(),
            base: tenant.base.clone(),
        }
    }

    /// The `totalResults` of a listing at `path` (asserting a 200).
    pub async fn total(&self, tenant: &TestTenant, path: &str) -> u64 {
        self.get_json(tenant, path).await["totalResults"]
            .as_u64()
            .expect("totalResults")
    }

    /// GETs `path` with `query` (encoded here), asserts a 200 and returns the JSON body.
    pub async fn get_query_json(
        &self,
        tenant: &TestTenant,
        path: &str,
        query: &[(&str, &str)],
    ) -> Value {
        let request = self.get_request(tenant, path).query(query);
        let response = send(request).await;
        assert_eq!(response.status(), 200, "GET {path} {query:?}");
        json_ok(response).await
    }

    /// POSTs `body` to `path`, asserts a 2xx and returns the JSON body.
    pub async fn post_json(&self, tenant: &TestTenant, path: &str, body: &Value) -> Value {
        json_ok(self.post(tenant, path, body).await).await
    }

    /// GETs `path`, asserts a 200 and returns the JSON body.
    pub async fn get_json(&self, tenant: &TestTenant, path: &str) -> Value {
        let response = self.get(tenant, path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        json_ok(response).await
    }
}

/// Sends a request and returns its status and JSON body (`Null` when the body is no JSON).
pub async fn status_json(request: RequestBuilder) -> (u16, Value) {
    let response = send(request).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sends a request; a connection failure ends the test.
pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("request sent")
}
