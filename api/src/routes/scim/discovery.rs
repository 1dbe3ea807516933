//! Discovery endpoints (RFC 7644 §4): read-only, public, the same for every tenant, rendered
//! from the schema registry that validates requests.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::error::DomainError;
use scimgate_domain::query::cursor::CURSOR_TIMEOUT_SECS;
use scimgate_domain::schema::render::{resource_type_resource, schema_resource};
use scimgate_domain::schema::service_provider_config::{AdvertisedLimits, service_provider_config};
use serde_json::{Value, json};

use super::resources::LIST_RESPONSE_SCHEMA;
use crate::error::ApiResult;
use crate::extract::scim_caller::origin;
use crate::extract::state::State;
use crate::openapi::schemas::{DiscoveryList, DiscoveryResource};
use crate::routes::fallback::method_not_allowed;
use crate::scim_json::scim_response;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let read_only = |path: &str, get: actix_web::Route| {
        web::resource(path.to_owned())
            .route(get)
            .default_service(web::to(method_not_allowed))
    };
    cfg.service(read_only(
        "/ServiceProviderConfig",
        web::get().to(provider_config),
    ))
    .service(read_only("/ResourceTypes", web::get().to(resource_types)))
    .service(read_only(
        "/ResourceTypes/{id}",
        web::get().to(resource_type),
    ))
    .service(read_only("/Schemas", web::get().to(schemas)))
    .service(read_only("/Schemas/{id}", web::get().to(schema)));
}

/// The SCIM base URL of this request, with the tenant segment when there is one.
fn scim_base(req: &HttpRequest, public_url: Option<&str>) -> String {
    let prefix = match req.match_info().get("tenant") {
        Some(slug) => format!("/t/{slug}/scim/v2"),
        None => "/scim/v2".to_owned(),
    };
    format!("{}{prefix}", origin(req, public_url))
}

fn list_of(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

#[utoipa::path(
    get, path = "/ServiceProviderConfig", tag = "SCIM discovery",
    responses((status = 200, description = "The service provider configuration", body = DiscoveryResource, content_type = "application/scim+json")),
    security(())
)]
async fn provider_config(req: HttpRequest, state: State) -> ApiResult<HttpResponse> {
    let base = scim_base(&req, state.public_url.as_deref());
    let limits = AdvertisedLimits {
        default_page_size: state.resources.limits().default_count,
        max_results: state.resources.limits().max_results,
        max_payload_bytes: state.max_body_bytes,
        max_bulk_operations: state.max_bulk_operations,
        cursor_timeout_secs: CURSOR_TIMEOUT_SECS,
    };
    let body = service_provider_config(limits, &format!("{base}/ServiceProviderConfig"));
    Ok(scim_response(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/ResourceTypes", tag = "SCIM discovery",
    responses((status = 200, description = "Every resource type", body = DiscoveryList, content_type = "application/scim+json")),
    security(())
)]
async fn resource_types(req: HttpRequest, state: State) -> ApiResult<HttpResponse> {
    let base = scim_base(&req, state.public_url.as_deref());
    let all = state
        .resources
        .registry()
        .resource_types()
        .iter()
        .map(|rt| resource_type_resource(rt, &format!("{base}/ResourceTypes/{}", rt.id())))
        .collect();
    Ok(scim_response(StatusCode::OK, &list_of(all)))
}

#[utoipa::path(
    get, path = "/ResourceTypes/{id}", tag = "SCIM discovery", params(("id" = String, Path, description = "`User` or `Group`", example = "User")),
    responses((status = 200, description = "One resource type", body = DiscoveryResource, content_type = "application/scim+json")),
    security(())
)]
async fn resource_type(req: HttpRequest, state: State) -> ApiResult<HttpResponse> {
    let base = scim_base(&req, state.public_url.as_deref());
    let rt = state
        .resources
        .registry()
        .resource_type_by_id(req.match_info().get("id").unwrap_or_default())
        .ok_or_else(|| DomainError::NotFound("no such resource type".to_owned()))?;
    let body = resource_type_resource(rt, &format!("{base}/ResourceTypes/{}", rt.id()));
    Ok(scim_response(StatusCode::OK, &body))
}

#[utoipa::path(
    get, path = "/Schemas", tag = "SCIM discovery",
    responses((status = 200, description = "Every schema", body = DiscoveryList, content_type = "application/scim+json")),
    security(())
)]
async fn schemas(req: HttpRequest, state: State) -> ApiResult<HttpResponse> {
    let base = scim_base(&req, state.public_url.as_deref());
    let all = state
        .resources
        .registry()
        .schemas()
        .iter()
        .map(|s| schema_resource(s, &format!("{base}/Schemas/{}", s.id)))
        .collect();
    Ok(scim_response(StatusCode::OK, &list_of(all)))
}

#[utoipa::path(
    get, path = "/Schemas/{id}", tag = "SCIM discovery", params(("id" = String, Path, description = "A schema URN", example = "urn:ietf:params:scim:schemas:core:2.0:User")),
    responses((status = 200, description = "One schema", body = DiscoveryResource, content_type = "application/scim+json")),
    security(())
)]
async fn schema(req: HttpRequest, state: State) -> ApiResult<HttpResponse> {
    let base = scim_base(&req, state.public_url.as_deref());
    let schema = state
        .resources
        .registry()
        .schema(req.match_info().get("id").unwrap_or_default())
        .ok_or_else(|| DomainError::NotFound("no such schema".to_owned()))?;
    let body = schema_resource(schema, &format!("{base}/Schemas/{}", schema.id));
    Ok(scim_response(StatusCode::OK, &body))
}
