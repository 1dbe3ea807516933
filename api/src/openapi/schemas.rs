//! Schemas of bodies that handlers build as JSON values rather than typed structs: SCIM
//! resources and messages, the admin API's objects, and the OAuth token endpoint's answers.
//! They describe the wire format only; the schemathesis run (`ops/schemathesis.sh`) checks
//! every response against them.

use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A SCIM error (RFC 7644 §3.12): every 4xx and 5xx of the SCIM and admin APIs.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ScimError {
    /// `["urn:ietf:params:scim:api:messages:2.0:Error"]`.
    #[schema(example = json!(["urn:ietf:params:scim:api:messages:2.0:Error"]))]
    schemas: Vec<String>,
    /// The HTTP status, as a string.
    #[schema(pattern = "^[1-5][0-9][0-9]$", example = "400")]
    status: String,
    /// The SCIM error type (RFC 7644 §3.12 table 9), when one applies.
    #[schema(rename = "scimType")]
    scim_type: Option<String>,
    /// What went wrong, for a human.
    detail: Option<String>,
}

/// Resource metadata (RFC 7643 §3.1).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Meta {
    #[schema(rename = "resourceType")]
    resource_type: Option<String>,
    created: Option<String>,
    #[schema(rename = "lastModified")]
    last_modified: Option<String>,
    location: Option<String>,
    version: Option<String>,
}

/// A User or Group: the core attributes every resource has, other attributes as the
/// resource type's schemas (`/Schemas`) define them. `meta` is left out when
/// `attributes`/`excludedAttributes` leave it out.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ScimResource {
    schemas: Vec<String>,
    id: String,
    #[schema(rename = "externalId")]
    external_id: Option<String>,
    #[schema(required = false)]
    meta: Option<Meta>,
}

/// A new or replacing resource: its schemas and attributes (no `id`; `meta` is ignored).
#[derive(ToSchema)]
#[schema(example = json!({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "bjensen@example.com",
    "name": {"givenName": "Barbara", "familyName": "Jensen"},
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
    "active": true
}))]
#[allow(dead_code)]
pub struct ScimResourceInput {
    schemas: Vec<String>,
}

/// A PATCH request (RFC 7644 §3.5.2).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PatchOp {
    /// `["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`.
    schemas: Vec<String>,
    #[schema(rename = "Operations")]
    operations: Vec<PatchOperation>,
}

/// One PATCH operation: `add`, `replace` or `remove` (any case), an optional path, a value.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PatchOperation {
    op: String,
    path: Option<String>,
    value: Option<Value>,
}

/// A search request (RFC 7644 §3.4.3): the list parameters in a body.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchRequest {
    /// `["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]`.
    schemas: Vec<String>,
    filter: Option<String>,
    #[schema(rename = "sortBy")]
    sort_by: Option<String>,
    #[schema(rename = "sortOrder")]
    sort_order: Option<String>,
    #[schema(rename = "startIndex")]
    start_index: Option<i64>,
    count: Option<i64>,
    cursor: Option<String>,
    attributes: Option<Vec<String>>,
    #[schema(rename = "excludedAttributes")]
    excluded_attributes: Option<Vec<String>>,
}

/// A BulkRequest (RFC 7644 §3.7).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BulkRequest {
    /// `["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]`.
    schemas: Vec<String>,
    #[schema(rename = "failOnErrors")]
    fail_on_errors: Option<i64>,
    #[schema(rename = "Operations")]
    operations: Vec<BulkOperation>,
}

/// One operation of a BulkRequest.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BulkOperation {
    method: String,
    path: String,
    #[schema(rename = "bulkId")]
    bulk_id: Option<String>,
    version: Option<String>,
    data: Option<Value>,
}

/// A discovery document (ServiceProviderConfig, a ResourceType, a Schema): its schemas and
/// the attributes RFC 7643 §5-7 define. A ServiceProviderConfig has no `id`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DiscoveryResource {
    schemas: Vec<String>,
}

/// A list of discovery resources (ResourceTypes, Schemas): a ListResponse of open objects.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DiscoveryList {
    schemas: Vec<String>,
    #[schema(rename = "totalResults")]
    total_results: u64,
    #[schema(rename = "Resources")]
    resources: Vec<DiscoveryResource>,
}

/// The list parameters of `GET /Users` and `GET /Groups` (RFC 7644 §3.4.2, RFC 9865 cursors).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListQuery {
    /// A SCIM filter, e.g. `userName eq "bjensen"`. Long filters go through `POST .search`.
    filter: Option<String>,
    #[param(rename = "sortBy")]
    sort_by: Option<String>,
    /// `ascending` or `descending`.
    #[param(rename = "sortOrder")]
    sort_order: Option<String>,
    /// 1-based index of the first result (index paging).
    #[param(rename = "startIndex")]
    start_index: Option<String>,
    /// Page size.
    count: Option<String>,
    /// Cursor paging (RFC 9865): empty for the first page, then `nextCursor`.
    cursor: Option<String>,
    attributes: Option<String>,
    #[param(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.9) on answers carrying a resource.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ViewQuery {
    attributes: Option<String>,
    #[param(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}
