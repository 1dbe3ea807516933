//! Middleware counting every request and timing it to its response head, labelled by route
//! pattern (never the raw path), method and status, plus the verified tenant when there is one.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use super::metrics::RequestOutcome;
use super::root_span::{UNMATCHED_ROUTE, method_label};
use super::tenant::RequestTenant;
use crate::state::AppState;

pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let route = req.match_pattern();
    let method = method_label(req.method());
    let started = Instant::now();
    let outcome = next.call(req).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    let tenant = outcome.as_ref().ok().and_then(|response| {
        response
            .request()
            .extensions()
            .get::<RequestTenant>()
            .cloned()
    });
    state.metrics.record_request(&RequestOutcome {
        route: route.as_deref().unwrap_or(UNMATCHED_ROUTE),
        method,
        status,
        tenant: tenant.as_ref().map(|t| t.slug.as_str()),
        elapsed: started.elapsed(),
    });
    outcome
}
