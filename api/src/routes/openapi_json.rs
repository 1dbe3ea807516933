//! `GET /openapi.json`: the OpenAPI 3.1 document of every route (see `crate::openapi`). Public,
//! like the SCIM discovery endpoints.

use actix_web::HttpResponse;
use scimgate_domain::error::DomainError;

use crate::error::ApiResult;
use crate::openapi::DOCUMENT;

#[utoipa::path(
    get, path = "/openapi.json", tag = "Operations",
    responses((status = 200, description = "This document", content_type = "application/json")),
    security(())
)]
pub async fn openapi_json() -> ApiResult<HttpResponse> {
    let json = DOCUMENT.to_json().map_err(DomainError::unavailable)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(json))
}
