//! SCIM errors for requests no route takes.

use actix_web::HttpResponse;

use crate::error::{ApiError, ApiResult};

pub async fn not_found() -> ApiResult<HttpResponse> {
    Err(ApiError::RouteNotFound)
}

pub async fn method_not_allowed() -> ApiResult<HttpResponse> {
    Err(ApiError::MethodNotAllowed)
}

pub async fn me_not_implemented() -> ApiResult<HttpResponse> {
    Err(scimgate_domain::error::DomainError::NotImplemented(
        "/Me is not supported: tokens are not mapped to users".into(),
    )
    .into())
}
