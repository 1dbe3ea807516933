//! A filter is valid or not the same way on every path: a search (`GET ?filter=`, `POST
//! .search`) answers it from the database, while PATCH paths and policy row filters are
//! judged by the in-memory evaluator. Resolution decides validity once for all of them, so a
//! refused filter is the same `invalidFilter` with the same detail everywhere, and an
//! accepted one selects the same resources on both sides.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{SEARCH_REQUEST, TestApp, TestTenant, assert_scim_error, status_json};

mod accepted;
mod refused;

/// The `invalidFilter` detail of `filter` on `endpoint` (`Users` or `Groups`), asserting that
/// a GET, a `POST /{endpoint}/.search` and, when `at_root`, a root `POST /.search` answer the
/// same 400.
async fn search_refusal(
    app: &TestApp,
    tenant: &TestTenant,
    endpoint: &str,
    filter: &str,
    at_root: bool,
) -> String {
    let get = app
        .get_request(tenant, &format!("/{endpoint}"))
        .query(&[("filter", filter)])
        .send()
        .await
        .expect("GET sent");
    let detail = detail_of(assert_scim_error(get, 400, Some("invalidFilter")).await);
    let body = json!({"schemas": [SEARCH_REQUEST], "filter": filter});
    let mut searches = vec![format!("/{endpoint}/.search")];
    if at_root {
        searches.push("/.search".into());
    }
    for search in searches {
        let response = app.post(tenant, &search, &body).await;
        let error = assert_scim_error(response, 400, Some("invalidFilter")).await;
        assert_eq!(detail_of(error), detail, "POST {search} with {filter}");
    }
    detail
}

/// The detail with which the operator's API refuses a token whose policy has `filter` as its
/// `key` (`userFilter` or `groupFilter`): the evaluator's path, checked when the policy is set.
async fn policy_refusal(app: &TestApp, tenant: &TestTenant, key: &str, filter: &str) -> String {
    let (status, body) = status_json(
        app.operator(Method::POST, &format!("/tenants/{}/tokens", tenant.slug))
            .json(&json!({"policy": {key: filter}})),
    )
    .await;
    assert_eq!(status, 400, "{key} {filter}: {body}");
    let detail = body["detail"].as_str().expect("detail").to_owned();
    detail
        .strip_prefix(&format!("{key}: "))
        .unwrap_or_else(|| panic!("{key} {filter}: detail {detail}"))
        .to_owned()
}

/// Asserts that a search on `endpoint` (at the root too when `at_root`) and a policy's `key`
/// both refuse `filter` with `expected`.
async fn refused_by_search_and_policy(
    app: &TestApp,
    tenant: &TestTenant,
    (endpoint, key): (&str, &str),
    filter: &str,
    expected: &str,
    at_root: bool,
) {
    let searched = search_refusal(app, tenant, endpoint, filter, at_root).await;
    assert_eq!(searched, expected, "{endpoint} {filter}");
    let policy = policy_refusal(app, tenant, key, filter).await;
    assert_eq!(policy, expected, "{key} {filter}");
}

/// The `invalidFilter` detail of a PATCH of `resource` (e.g. `/Users/<id>`) with `operations`.
async fn patch_refusal(
    app: &TestApp,
    tenant: &TestTenant,
    resource: &str,
    operations: Value,
) -> String {
    let response = app.patch(tenant, resource, operations).await;
    detail_of(assert_scim_error(response, 400, Some("invalidFilter")).await)
}

fn detail_of(error: Value) -> String {
    error["detail"].as_str().expect("detail").to_owned()
}
