//! What every answer is checked for: a 2xx with a JSON body, or a SCIM error body.

use reqwest::Response;
use serde_json::{Value, json};

use super::ERROR_SCHEMA;

/// Asserts a 2xx and returns the JSON body.
pub async fn json_ok(response: Response) -> Value {
    let status = response.status();
    let url = response.url().clone();
    let text = response.text().await.expect("body read");
    assert!(status.is_success(), "{status} from {url}: {text}");
    serde_json::from_str(&text).expect("json body")
}

/// A resource's `id`.
pub fn id(resource: &Value) -> String {
    resource["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {resource}"))
        .to_owned()
}

/// Where a resource lives below its tenant's base: `/Users/{id}` or `/Groups/{id}`.
pub fn path_of(resource: &Value) -> String {
    let kind = resource["meta"]["resourceType"]
        .as_str()
        .unwrap_or_else(|| panic!("no resourceType in {resource}"));
    format!("/{kind}s/{}", id(resource))
}

/// A group's member ids, sorted.
pub fn member_ids(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no members in {group}"))
        .iter()
        .map(|member| member["value"].as_str().expect("member value").to_owned())
        .collect();
    ids.sort();
    ids
}

/// The `status` of each operation of a BulkResponse, in order.
pub fn bulk_statuses(response: &Value) -> Vec<&str> {
    response["Operations"]
        .as_array()
        .unwrap_or_else(|| panic!("no Operations in {response}"))
        .iter()
        .map(|op| op["status"].as_str().expect("operation status"))
        .collect()
}

/// The text `key` of each resource a listing returned, in order.
pub fn listed(list: &Value, key: &str) -> Vec<String> {
    texts(list, "Resources", key)
}

/// The text `key` of each element of the array `body[array]`, in order.
pub fn texts(body: &Value, array: &str, key: &str) -> Vec<String> {
    body[array]
        .as_array()
        .unwrap_or_else(|| panic!("no {array} in {body}"))
        .iter()
        .map(|resource| {
            resource[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {resource}"))
                .to_owned()
        })
        .collect()
}

/// The Users among a listing's resources (a root `.search` lists Groups too).
pub fn users_in(list: &Value) -> Vec<&Value> {
    list["Resources"]
        .as_array()
        .unwrap_or_else(|| panic!("no Resources in {list}"))
        .iter()
        .filter(|resource| resource.get("userName").is_some())
        .collect()
}

/// A response header as text (empty when it is absent).
pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A response's `ETag`.
pub fn etag(response: &Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|value| value.to_str().ok())
        .expect("an ETag")
        .to_owned()
}

/// Asserts a SCIM error response and returns its body.
pub async fn assert_scim_error(response: Response, status: u16, scim_type: Option<&str>) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = header(&response, "content-type");
    assert!(
        content_type.starts_with("application/scim+json"),
        "content type {content_type}"
    );
    let body: Value = response.json().await.expect("json error body");
    assert_eq!(body["schemas"], json!([ERROR_SCHEMA]));
    assert_eq!(body["status"], status.to_string());
    match scim_type {
        Some(kind) => assert_eq!(body["scimType"], kind, "scimType in {body}"),
        None => assert!(
            body.get("scimType").is_none(),
            "unexpected scimType in {body}"
        ),
    }
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "detail in {body}"
    );
    body
}
