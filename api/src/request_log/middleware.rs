//! Buffers one request log record per SCIM request whose token was verified: the route
//! pattern and operation from `telemetry::scim_route` (never the path typed or its query
//! string), the status and `scimType` of the answer, the time to its head and the caller.
//! Requests without a verified tenant (a bad token) belong to no tenant's log.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use scimgate_domain::request_log::RequestRecord;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;
use crate::telemetry::root_span::method_label;
use crate::telemetry::scim_route;
use crate::telemetry::tenant::RequestTenant;

pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let pattern = req.match_pattern();
    let scim = scim_route::classify(req.method(), pattern.as_deref());
    let (Some(state), Some(scim), Some(route)) = (
        req.app_data::<web::Data<AppState>>().cloned(),
        scim,
        pattern,
    ) else {
        return next.call(req).await;
    };
    let method = method_label(req.method());
    let at = state.request_log.now();
    let id = Uuid::now_v7();
    let started = Instant::now();
    let response = next.call(req).await?;
    let latency = started.elapsed();
    let caller = response
        .request()
        .extensions()
        .get::<RequestTenant>()
        .cloned();
    if let Some(caller) = caller {
        let scim_type = response
            .response()
            .error()
            .and_then(|err| err.as_error::<ApiError>())
            .and_then(ApiError::scim_type);
        let record = RequestRecord {
            tenant_id: caller.tenant_id,
            id,
            at,
            method: method.to_owned(),
            route,
            operation: scim.operation.to_owned(),
            status: response.status().as_u16(),
            scim_type: scim_type.map(str::to_owned),
            latency,
            caller: caller.caller,
        };
        if !state.request_log.record(record) {
            state.metrics.request_log_dropped(1, "buffer_full");
        }
    }
    Ok(response)
}
