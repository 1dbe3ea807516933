//! `/Users` and `/Groups`: the same handlers for both, told apart by the kind in app data.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::query::search_request::list_params_from_search;
use scimgate_domain::resource::render::etag;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::service::scim::patch_resource::{PatchRequest, Patched};
use scimgate_domain::service::scim::resources::{ListView, ResourceView, ViewParams};
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiResult;
use crate::extract::preconditions::{IfMatch, ResourceRef};
use crate::extract::scim_body::ScimBody;
use crate::extract::scim_caller::ScimCaller;
use crate::extract::state::State;
use crate::extract::view::{Listing, View};
use crate::openapi::schemas::{
    ListQuery, PatchOp, ScimResource, ScimResourceInput, SearchRequest, ViewQuery,
};
use crate::scim_json::{scim_json_response, scim_response};

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

#[utoipa::path(
    post, path = "/Users", tag = "SCIM resources",
    request_body(content((ScimResourceInput = "application/scim+json"), (ScimResourceInput = "application/json"))),
    params(ViewQuery),
    responses((status = 201, description = "The created resource", body = ScimResource,
        content_type = "application/scim+json", headers(("ETag" = String), ("Location" = String)))),
    security(("bearer" = []))
)]
async fn create(
    state: State,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    ScimBody(body): ScimBody,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let created = state
        .resources
        .create(&caller.0, **kind, body, &view)
        .await?;
    Ok(resource_response(StatusCode::CREATED, &created))
}

#[utoipa::path(
    get, path = "/Users/{id}", tag = "SCIM resources",
    params(("id" = String, Path, description = "The resource's id"), ViewQuery,
        ("If-None-Match" = Option<String>, Header, description = "304 when it names the current version")),
    responses(
        (status = 200, description = "The resource", body = ScimResource, content_type = "application/scim+json",
            headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the version named in If-None-Match")),
    security(("bearer" = []))
)]
async fn get(
    req: HttpRequest,
    state: State,
    caller: ScimCaller,
    ResourceRef { kind, id }: ResourceRef,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let found = state.resources.get(&caller.0, kind, &id, &view).await?;
    Ok(read_response(&req, &found))
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

#[utoipa::path(
    get, path = "/Users", tag = "SCIM resources",
    params(ListQuery),
    responses((status = 200, description = "A page of resources", body = ListResponse,
        content_type = "application/scim+json")),
    security(("bearer" = []))
)]
async fn list(
    state: State,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    Listing(params): Listing,
) -> ApiResult<HttpResponse> {
    let page = state.resources.list(&caller.0, **kind, &params).await?;
    Ok(list_response(page))
}

/// `POST /Users/.search`: the same listing, parameters in the body (RFC 7644 §3.4.3).
#[utoipa::path(
    post, path = "/Users/.search", tag = "SCIM resources",
    request_body(content((SearchRequest = "application/scim+json"), (SearchRequest = "application/json"))),
    responses((status = 200, description = "A page of resources", body = ListResponse,
        content_type = "application/scim+json")),
    security(("bearer" = []))
)]
async fn search(
    state: State,
    caller: ScimCaller,
    kind: web::Data<ResourceKind>,
    ScimBody(body): ScimBody,
) -> ApiResult<HttpResponse> {
    let params = list_params_from_search(&body)?;
    let page = state.resources.list(&caller.0, **kind, &params).await?;
    Ok(list_response(page))
}

/// `POST /.search` at the SCIM root: Users and Groups in one listing.
#[utoipa::path(
    post, path = "/.search", tag = "SCIM resources",
    request_body(content((SearchRequest = "application/scim+json"), (SearchRequest = "application/json"))),
    responses((status = 200, description = "A page of Users and Groups", body = ListResponse,
        content_type = "application/scim+json")),
    security(("bearer" = []))
)]
pub async fn search_all(
    state: State,
    caller: ScimCaller,
    ScimBody(body): ScimBody,
) -> ApiResult<HttpResponse> {
    let params = list_params_from_search(&body)?;
    let page = state.resources.list_all(&caller.0, &params).await?;
    Ok(list_response(page))
}

/// A ListResponse (RFC 7644 §3.4.2): paging by index or by cursor (RFC 9865), whichever the
/// request used.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse {
    #[schema(value_type = Vec<String>)]
    schemas: [&'static str; 1],
    total_results: u64,
    items_per_page: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_cursor: Option<String>,
    #[serde(rename = "Resources")]
    #[schema(value_type = Vec<ScimResource>)]
    resources: Vec<Value>,
}

impl From<ListView> for ListResponse {
    fn from(page: ListView) -> Self {
        Self {
            schemas: [LIST_RESPONSE_SCHEMA],
            total_results: page.total_results,
            items_per_page: page.resources.len(),
            start_index: page.start_index,
            next_cursor: page.next_cursor,
            previous_cursor: page.previous_cursor,
            resources: page.resources,
        }
    }
}

pub fn list_response(page: ListView) -> HttpResponse {
    scim_json_response(StatusCode::OK, &ListResponse::from(page))
}

#[utoipa::path(
    put, path = "/Users/{id}", tag = "SCIM resources",
    request_body(content((ScimResourceInput = "application/scim+json"), (ScimResourceInput = "application/json"))),
    params(("id" = String, Path, description = "The resource's id"), ViewQuery,
        ("If-Match" = Option<String>, Header, description = "412 unless it names the current version")),
    responses((status = 200, description = "The replaced resource", body = ScimResource,
        content_type = "application/scim+json", headers(("ETag" = String)))),
    security(("bearer" = []))
)]
async fn replace(
    state: State,
    caller: ScimCaller,
    ResourceRef { kind, id }: ResourceRef,
    ScimBody(body): ScimBody,
    if_match: IfMatch,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let replaced = state
        .resources
        .replace(&caller.0, kind, &id, body, if_match.as_deref(), &view)
        .await?;
    Ok(resource_response(StatusCode::OK, &replaced))
}

/// PATCH answers 200 with the resource, except for Groups: their member lists can be huge,
/// so a Group PATCH answers 204 (RFC 7644 §3.5.2 allows either) unless the client asks for a
/// representation with `attributes`/`excludedAttributes` or `Prefer: return=representation`.
/// `Prefer: return=minimal` asks for 204 on Users too.
#[utoipa::path(
    patch, path = "/Users/{id}", tag = "SCIM resources",
    request_body(content((PatchOp = "application/scim+json"), (PatchOp = "application/json"))),
    params(("id" = String, Path, description = "The resource's id"), ViewQuery,
        ("If-Match" = Option<String>, Header, description = "412 unless it names the current version"),
        ("Prefer" = Option<String>, Header, description = "`return=minimal` or `return=representation`")),
    responses(
        (status = 200, description = "The patched resource", body = ScimResource,
            content_type = "application/scim+json", headers(("ETag" = String))),
        (status = 204, description = "Patched; no representation asked for", headers(("ETag" = String)))),
    security(("bearer" = []))
)]
async fn patch(
    req: HttpRequest,
    state: State,
    caller: ScimCaller,
    ResourceRef { kind, id }: ResourceRef,
    ScimBody(body): ScimBody,
    if_match: IfMatch,
    View(view): View,
) -> ApiResult<HttpResponse> {
    let representation = wants_representation(&req, &view, kind);
    let request = PatchRequest {
        kind,
        id: &id,
        body: &body,
        if_match: if_match.as_deref(),
        view: &view,
        representation,
    };
    let patched = state.resources.patch(&caller.0, request).await?;
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

#[utoipa::path(
    delete, path = "/Users/{id}", tag = "SCIM resources",
    params(("id" = String, Path, description = "The resource's id"),
        ("If-Match" = Option<String>, Header, description = "412 unless it names the current version")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = []))
)]
async fn delete(
    state: State,
    caller: ScimCaller,
    ResourceRef { kind, id }: ResourceRef,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    state
        .resources
        .delete(&caller.0, kind, &id, if_match.as_deref())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
