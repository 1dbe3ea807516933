//! `/Users` and `/Groups`: the same handlers for both, told apart by the kind in app data.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::resource::kind::ResourceKind;
use scimgate_domain::resource::render::etag;
use scimgate_domain::service::patch_resource::Patched;
use scimgate_domain::service::resources::{ListView, ResourceView, ViewParams};
use scimgate_domain::service::search_request::list_params_from_search;
use serde_json::json;

use crate::error::ApiResult;
use crate::extract::query::list_params;
use crate::extract::scim_caller::{ScimCaller, state_of};
use crate::scim_json::{read_json, scim_response};

pub const LIST_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// Routes of one resource type, mounted under its endpoint.
pub fn configure(cfg: &mut web::ServiceConfig, kind: ResourceKind) {
    cfg.service(
        web::scope(kind.endpoint())
            .app_data(web::Data::new(kind))
            .service(
                web::resource("")
                    .route(web::get().to(list))
                    .route(web::post().to(create))
                    .default_service(web::to(crate::routes::fallback::method_not_allowed)),
            )
            .service(
                web::resource("/.search")
                    .route(web::post().to(search))
                    .default_service(web::to(crate::routes::fallback::method_not_allowed)),
            )
            .service(
                web::resource("/{id}")
                    .route(web::get().to(get))
                    .route(web::put().to(replace))
                    .route(web::patch().to(patch))
                    .route(web::delete().to(delete))
                    .default_service(web::to(crate::routes::fallback::method_not_allowed)),
            ),
    );
}

/// The `{id}` segment. Read by name: a positional `Path<String>` would pick up `{tenant}`.
fn path_id(req: &HttpRequest) -> &str {
    req.match_info().get("id").unwrap_or_default()
}

pub(crate) fn if_match(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
}

pub(crate) fn resource_response(status: StatusCode, view: &ResourceView) -> HttpResponse {
    let mut response = scim_response(status, &view.body);
    if let Ok(value) = header::HeaderValue::from_str(&etag(view.version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    if status == StatusCode::CREATED
        && let Ok(value) = header::HeaderValue::from_str(&view.location)
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

async fn create(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let shape = ViewParams::of(&list_params(&req)?);
    let view = state
        .resources
        .create(&caller.0, **kind, body, &shape)
        .await?;
    Ok(resource_response(StatusCode::CREATED, &view))
}

async fn get(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let shape = ViewParams::of(&list_params(&req)?);
    let view = state
        .resources
        .get(&caller.0, **kind, path_id(&req), &shape)
        .await?;
    Ok(read_response(&req, &view))
}

/// A GET's answer: 304 when the client's `If-None-Match` names the current version.
pub(crate) fn read_response(req: &HttpRequest, view: &ResourceView) -> HttpResponse {
    let current = etag(view.version);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == current || t.trim() == "*")
        });
    if unchanged {
        let mut response = HttpResponse::NotModified().finish();
        if let Ok(value) = header::HeaderValue::from_str(&current) {
            response.headers_mut().insert(header::ETAG, value);
        }
        return response;
    }
    resource_response(StatusCode::OK, view)
}

async fn list(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let params = list_params(&req)?;
    let page = state.resources.list(&caller.0, **kind, &params).await?;
    Ok(scim_response(StatusCode::OK, &list_body(page)))
}

/// `POST /Users/.search`: the same listing, parameters in the body (RFC 7644 §3.4.3).
async fn search(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let params = list_params_from_search(&body)?;
    let page = state.resources.list(&caller.0, **kind, &params).await?;
    Ok(scim_response(StatusCode::OK, &list_body(page)))
}

/// `POST /.search` at the SCIM root: Users and Groups in one listing.
pub async fn search_all(
    req: HttpRequest,
    caller: ScimCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let params = list_params_from_search(&body)?;
    let page = state.resources.list_all(&caller.0, &params).await?;
    Ok(scim_response(StatusCode::OK, &list_body(page)))
}

pub fn list_body(page: ListView) -> serde_json::Value {
    let mut body = json!({
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": page.total_results,
        "itemsPerPage": page.resources.len(),
    });
    if let Some(obj) = body.as_object_mut() {
        if let Some(start_index) = page.start_index {
            obj.insert("startIndex".into(), start_index.into());
        }
        if let Some(next) = page.next_cursor {
            obj.insert("nextCursor".into(), next.into());
        }
        if let Some(previous) = page.previous_cursor {
            obj.insert("previousCursor".into(), previous.into());
        }
        obj.insert("Resources".into(), page.resources.into());
    }
    body
}

async fn replace(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let shape = ViewParams::of(&list_params(&req)?);
    let view = state
        .resources
        .replace(
            &caller.0,
            **kind,
            path_id(&req),
            body,
            if_match(&req),
            &shape,
        )
        .await?;
    Ok(resource_response(StatusCode::OK, &view))
}

/// PATCH answers 200 with the resource, except for Groups: their member lists can be huge,
/// so a Group PATCH answers 204 (RFC 7644 §3.5.2 allows either) unless the client asks for a
/// representation with `attributes`/`excludedAttributes` or `Prefer: return=representation`.
/// `Prefer: return=minimal` asks for 204 on Users too.
async fn patch(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    let body = read_json(&req, payload, state.max_body_bytes).await?;
    let shape = ViewParams::of(&list_params(&req)?);
    let representation = wants_representation(&req, &shape, **kind);
    let patched = state
        .resources
        .patch(
            &caller.0,
            **kind,
            path_id(&req),
            &body,
            if_match(&req),
            &shape,
            representation,
        )
        .await?;
    Ok(match patched {
        Patched::Representation(view) => resource_response(StatusCode::OK, &view),
        Patched::Version(version) => patched_without_body(version),
    })
}

/// Whether a PATCH answers with the resource (200) or without it (204); see `patch`.
pub(crate) fn wants_representation(
    req: &HttpRequest,
    shape: &ViewParams,
    kind: ResourceKind,
) -> bool {
    let prefer = req
        .headers()
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let asked_for_shape = shape.attributes.is_some() || shape.excluded_attributes.is_some();
    if prefer.contains("return=minimal") {
        false
    } else {
        prefer.contains("return=representation") || asked_for_shape || kind == ResourceKind::User
    }
}

/// A 204 answer to a PATCH, with the resource's new version.
pub(crate) fn patched_without_body(version: i64) -> HttpResponse {
    let mut response = HttpResponse::NoContent().finish();
    if let Ok(value) = header::HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

async fn delete(
    req: HttpRequest,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
) -> ApiResult<HttpResponse> {
    let state = state_of(&req)?;
    state
        .resources
        .delete(&caller.0, **kind, path_id(&req), if_match(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
