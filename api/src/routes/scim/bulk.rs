//! `POST /Bulk` (RFC 7644 §3.7): one BulkRequest in, one BulkResponse out. Whole-request
//! problems are SCIM errors; each operation's failure is its own `status` and `response`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use scimgate_domain::resource::render::etag;
use scimgate_domain::service::scim::bulk::{BulkOutcome, Done, OperationOutcome};
use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::extract::scim_body::ScimBody;
use crate::extract::scim_caller::ScimCaller;
use crate::extract::state::State;
use crate::openapi::schemas::BulkRequest;
use crate::scim_json::scim_json_response;

pub const BULK_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

#[utoipa::path(
    post, path = "/Bulk", tag = "SCIM resources", request_body(content((BulkRequest = "application/scim+json"), (BulkRequest = "application/json"))),
    responses((status = 200, description = "One result per operation, in request order",
        body = BulkResponse, content_type = "application/scim+json")),
    security(("bearer" = []))
)]
pub async fn bulk(
    state: State,
    caller: ScimCaller,
    ScimBody(body): ScimBody,
) -> ApiResult<HttpResponse> {
    let outcome = state
        .resources
        .bulk(&caller.0, &body, state.max_bulk_operations)
        .await?;
    Ok(scim_json_response(
        StatusCode::OK,
        &BulkResponse::from(outcome),
    ))
}

/// A BulkResponse (RFC 7644 §3.7.3): one result per operation, in request order.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct BulkResponse {
    #[schema(value_type = Vec<String>)]
    schemas: [&'static str; 1],
    #[serde(rename = "Operations")]
    operations: Vec<OperationResult>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OperationResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bulk_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    /// The operation's HTTP status, as a string (RFC 7644 §3.7.3 examples).
    status: String,
    /// The SCIM error of a failed operation.
    #[schema(value_type = Option<crate::openapi::schemas::ScimError>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<Value>,
}

impl From<BulkOutcome> for BulkResponse {
    fn from(outcome: BulkOutcome) -> Self {
        Self {
            schemas: [BULK_RESPONSE_SCHEMA],
            operations: outcome.operations.into_iter().map(operation).collect(),
        }
    }
}

fn operation(outcome: OperationOutcome) -> OperationResult {
    let (status, response) = match outcome.result {
        Ok(Done::Created) => (StatusCode::CREATED, None),
        Ok(Done::Updated) => (StatusCode::OK, None),
        Ok(Done::Deleted) => (StatusCode::NO_CONTENT, None),
        Err(err) => {
            let (status, body) = ApiError::from(err).scim_body();
            (status, Some(body))
        }
    };
    OperationResult {
        method: outcome.method,
        bulk_id: outcome.bulk_id,
        location: outcome.location,
        version: outcome.version.map(etag),
        status: status.as_u16().to_string(),
        response,
    }
}
