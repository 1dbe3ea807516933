//! `/Me` (RFC 7644 §3.11): the operations of `/Users/{id}` on the caller's own User, answered
//! directly (no redirect), each response naming the User's permanent location.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::resource::kind::ResourceKind;
use scimgate_domain::service::patch_resource::Patched;
use scimgate_domain::service::resources::{ResourceView, ViewParams};

use crate::error::ApiResult;
use crate::extract::query::list_params;
use crate::extract::scim_caller::{ScimCaller, state_of};
use crate::routes::fallback::method_not_allowed;
use crate::routes::resources::{
    if_match, patched_without_body, read_response, resource_response, wants_representation,
};
use crate::scim_json::read_json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/Me")
            .route(web::get().to(get))
            .route(web::post().to(create))
            .route(web::put().to(replace))
            .route(web::patch().to(patch))
            .route(web::delete().to(delete))
            .default_service(web::to(method_not_allowed)),
    );
}

/// Sets `Location` (resource responses set it on 201 only; `/Me` sets it on every answer).
fn located(mut response: HttpResponse, location: &str) -> HttpResponse {
    if let Ok(value) = header::HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn shape(req: &HttpRequest) -> ApiResult<ViewParams> {
    Ok(ViewParams::of(&list_params(req)?))
}

fn answer(status: StatusCode, view: &ResourceView) -> HttpResponse {
    located(resource_response(status, view), &view.location)
}

async fn get(req: HttpRequest, caller: ScimCaller) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let view = state.resources.me_get(&caller.0, &shape(&req)?).await?;
    Ok(located(read_response(&req, &view), &view.location))
}

async fn create(
    req: HttpRequest,
    caller: ScimCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let view = state
        .resources
        .me_create(&caller.0, body, &shape(&req)?)
        .await?;
    Ok(answer(StatusCode::CREATED, &view))
}

async fn replace(
    req: HttpRequest,
    caller: ScimCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let view = state
        .resources
        .me_replace(&caller.0, body, if_match(&req), &shape(&req)?)
        .await?;
    Ok(answer(StatusCode::OK, &view))
}

async fn patch(
    req: HttpRequest,
    caller: ScimCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let shape = shape(&req)?;
    let representation = wants_representation(&req, &shape, ResourceKind::User);
    let (patched, location) = state
        .resources
        .me_patch(&caller.0, &body, if_match(&req), &shape, representation)
        .await?;
    Ok(match patched {
        Patched::Representation(view) => answer(StatusCode::OK, &view),
        Patched::Version(version) => located(patched_without_body(version), &location),
    })
}

async fn delete(req: HttpRequest, caller: ScimCaller) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let location = state.resources.me_delete(&caller.0, if_match(&req)).await?;
    Ok(located(HttpResponse::NoContent().finish(), &location))
}
