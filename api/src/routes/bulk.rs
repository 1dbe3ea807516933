//! `POST /Bulk` (RFC 7644 §3.7): one BulkRequest in, one BulkResponse out. Whole-request
//! problems are SCIM errors; each operation's failure is its own `status` and `response`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::resource::render::etag;
use scimgate_domain::service::bulk::{BulkOutcome, Done, OperationOutcome};
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::scim_caller::{ScimCaller, state_of};
use crate::scim_json::{read_json, scim_response};

pub const BULK_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

pub async fn bulk(
    req: HttpRequest,
    caller: ScimCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let outcome = state
        .resources
        .bulk(&caller.0, &body, state.max_bulk_operations)
        .await?;
    Ok(scim_response(StatusCode::OK, &bulk_body(outcome)))
}

fn bulk_body(outcome: BulkOutcome) -> Value {
    let operations: Vec<Value> = outcome.operations.into_iter().map(operation).collect();
    json!({"schemas": [BULK_RESPONSE_SCHEMA], "Operations": operations})
}

fn operation(outcome: OperationOutcome) -> Value {
    let mut out = Map::new();
    if let Some(method) = outcome.method {
        out.insert("method".into(), method.into());
    }
    if let Some(bulk_id) = outcome.bulk_id {
        out.insert("bulkId".into(), bulk_id.into());
    }
    if let Some(location) = outcome.location {
        out.insert("location".into(), location.into());
    }
    if let Some(version) = outcome.version {
        out.insert("version".into(), etag(version).into());
    }
    let status = match outcome.result {
        Ok(Done::Created) => StatusCode::CREATED,
        Ok(Done::Updated) => StatusCode::OK,
        Ok(Done::Deleted) => StatusCode::NO_CONTENT,
        Err(err) => {
            let (status, body) = ApiError::from(err).scim_body();
            out.insert("response".into(), body);
            status
        }
    };
    out.insert("status".into(), status.as_u16().to_string().into());
    Value::Object(out)
}
