//! SCIM errors for requests no route takes.

use actix_web::HttpResponse;

use crate::error::{ApiError, ApiResult};

pub async fn not_found() -> ApiResult<HttpResponse> {
    Err(ApiError::RouteNotFound)
}

pub async fn method_not_allowed() -> ApiResult<HttpResponse> {
    Err(ApiError::MethodNotAllowed)
}
