//! `GET /metrics`: this replica's metrics in Prometheus text format. Unauthenticated, like
//! `/healthz`, because scrapers rarely carry tokens; it shows counts by route, status and
//! tenant slug, never request contents. `SCIMGATE_METRICS_ENABLED=false` turns it off (404).

use actix_web::HttpResponse;
use scimgate_domain::error::DomainError;

use crate::error::{ApiError, ApiResult};
use crate::extract::state::State;

/// The content type of Prometheus' text exposition format.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

#[utoipa::path(
    get, path = "/metrics", tag = "Operations",
    responses((status = 200, description = "Prometheus text format (404 when disabled)", body = String,
        content_type = "text/plain")),
    security(())
)]
pub async fn metrics(state: State) -> ApiResult<HttpResponse> {
    let text = state
        .metrics
        .render()
        .ok_or(ApiError::RouteNotFound)?
        .map_err(DomainError::unavailable)?;
    Ok(HttpResponse::Ok().content_type(PROMETHEUS_TEXT).body(text))
}
