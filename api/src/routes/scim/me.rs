//! `/Me` (RFC 7644 §3.11): the operations of `/Users/{id}` on the caller's own User, answered
//! directly (no redirect), each response naming the User's permanent location.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::service::scim::patch_resource::Patched;
use scimgate_domain::service::scim::resources::ResourceView;

use super::resources::{
    patched_without_body, read_response, resource_response, wants_representation,
};
use crate::error::ApiResult;
use crate::extract::preconditions::IfMatch;
use crate::extract::scim_body::ScimBody;
use crate::extract::scim_caller::ScimCaller;
use crate::extract::state::State;
use crate::extract::view::View;
use crate::openapi::schemas::{PatchOp, ScimResource, ScimResourceInput, ViewQuery};
use crate::routes::fallback::method_not_allowed;

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

fn answer(status: StatusCode, view: &ResourceView) -> HttpResponse {
    located(resource_response(status, view), &view.location)
}

#[utoipa::path(
    get, path = "/Me", tag = "SCIM /Me", params(ViewQuery),
    responses((status = 200, description = "The caller's User", body = ScimResource,
        content_type = "application/scim+json", headers(("ETag" = String), ("Location" = String))),
        (status = 304, description = "Unchanged since the version named in If-None-Match")),
    security(("bearer" = []))
)]
async fn get(
    req: HttpRequest,
    state: State,
    caller: ScimCaller,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let found = state.resources.me_get(&caller.0, &view).await?;
    Ok(located(read_response(&req, &found), &found.location))
}

#[utoipa::path(
    post, path = "/Me", tag = "SCIM /Me", request_body(content((ScimResourceInput = "application/scim+json"), (ScimResourceInput = "application/json"))), params(ViewQuery),
    responses((status = 201, description = "The caller's new User", body = ScimResource,
        content_type = "application/scim+json", headers(("ETag" = String), ("Location" = String)))),
    security(("bearer" = []))
)]
async fn create(
    state: State,
    caller: ScimCaller,
    ScimBody(body): ScimBody,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let created = state.resources.me_create(&caller.0, body, &view).await?;
    Ok(answer(StatusCode::CREATED, &created))
}

#[utoipa::path(
    put, path = "/Me", tag = "SCIM /Me", request_body(content((ScimResourceInput = "application/scim+json"), (ScimResourceInput = "application/json"))), params(ViewQuery, ("If-Match" = Option<String>, Header, description = "412 unless it names the current version")),
    responses((status = 200, description = "The caller's replaced User", body = ScimResource,
        content_type = "application/scim+json", headers(("ETag" = String), ("Location" = String)))),
    security(("bearer" = []))
)]
async fn replace(
    state: State,
    caller: ScimCaller,
    ScimBody(body): ScimBody,
    if_match: IfMatch,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let replaced = state
        .resources
        .me_replace(&caller.0, body, if_match.as_deref(), &view)
        .await?;
    Ok(answer(StatusCode::OK, &replaced))
}

#[utoipa::path(
    patch, path = "/Me", tag = "SCIM /Me", request_body(content((PatchOp = "application/scim+json"), (PatchOp = "application/json"))), params(ViewQuery, ("If-Match" = Option<String>, Header, description = "412 unless it names the current version")),
    responses((status = 200, description = "The caller's patched User", body = ScimResource,
        content_type = "application/scim+json", headers(("ETag" = String), ("Location" = String))),
        (status = 204, description = "Patched; no representation asked for",
            headers(("ETag" = String), ("Location" = String)))),
    security(("bearer" = []))
)]
async fn patch(
    req: HttpRequest,
    state: State,
    caller: ScimCaller,
    ScimBody(body): ScimBody,
    if_match: IfMatch,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let representation = wants_representation(&req, &view, ResourceKind::User);
    let (patched, location) = state
        .resources
        .me_patch(&caller.0, &body, if_match.as_deref(), &view, representation)
        .await?;
    Ok(match patched {
        Patched::Representation(view) => answer(StatusCode::OK, &view),
        Patched::Version(version) => located(patched_without_body(version), &location),
    })
}

#[utoipa::path(
    delete, path = "/Me", tag = "SCIM /Me", params(("If-Match" = Option<String>, Header, description = "412 unless it names the current version")),
    responses((status = 204, description = "Deleted", headers(("Location" = String)))),
    security(("bearer" = []))
)]
async fn delete(state: State, caller: ScimCaller, if_match: IfMatch) -> ApiResult<HttpResponse> {
    let location = state
        .resources
        .me_delete(&caller.0, if_match.as_deref())
        .await?;
    Ok(located(HttpResponse::NoContent().finish(), &location))
}
