//! Operator API under `/admin/v1`, guarded by `SCIMGATE_ADMIN_KEY`: tenants here; each
//! tenant's tokens, OAuth clients and audit log through the routes the tenant self-service
//! API mounts too (`tenant_admin.rs`). The same use cases as the CLI; JSON in and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::tenant::{Tenant, TenantSlug};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::admin_caller::AdminCaller;
use crate::extract::scim_caller::origin;
use crate::routes::fallback::method_not_allowed;
use crate::routes::tenant_admin;
use crate::scim_json::{read_json, scim_response};
use crate::state::SharedState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin/v1")
            .service(
                web::resource("/tenants")
                    .route(web::get().to(list_tenants))
                    .route(web::post().to(create_tenant))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tenants/{slug}")
                    .route(web::get().to(get_tenant))
                    .default_service(web::to(method_not_allowed)),
            )
            .configure(|cfg| tenant_admin::tenant_objects(cfg, "/tenants/{slug}")),
    );
}

fn tenant_json(req: &HttpRequest, state: &SharedState, tenant: &Tenant) -> Value {
    json!({
        "id": tenant.id.0,
        "slug": tenant.slug,
        "name": tenant.name,
        "created": tenant.created,
        "scimBaseUrl": format!("{}/t/{}/scim/v2", origin(req, state.public_url.as_deref()), tenant.slug),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTenant {
    slug: String,
    name: Option<String>,
}

/// A 201 with `body` and, under `field`, the secret this response alone shows.
pub(crate) fn created_with_secret(mut body: Value, field: &str, secret: String) -> HttpResponse {
    if let Some(obj) = body.as_object_mut() {
        obj.insert(field.into(), Value::String(secret));
    }
    scim_response(StatusCode::CREATED, &body)
}

pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: Value) -> ApiResult<T> {
    serde_json::from_value(body)
        .map_err(|err| ApiError::InvalidSyntax(format!("invalid request: {err}")))
}

async fn create_tenant(
    req: HttpRequest,
    admin: AdminCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let input: NewTenant = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let tenant = state
        .admin
        .create_tenant_as(
            &admin.ctx,
            TenantSlug::parse(&input.slug)?,
            input.name.map(AdminName::parse).transpose()?,
        )
        .await?;
    Ok(scim_response(
        StatusCode::CREATED,
        &tenant_json(&req, state, &tenant),
    ))
}

async fn list_tenants(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let tenants: Vec<Value> = state
        .admin
        .list_tenants()
        .await?
        .iter()
        .map(|t| tenant_json(&req, state, t))
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "tenants": tenants }),
    ))
}

async fn get_tenant(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let tenant = state
        .admin
        .tenant_for(&admin.ctx, &admin.tenant(&req)?)
        .await?;
    Ok(scim_response(
        StatusCode::OK,
        &tenant_json(&req, state, &tenant),
    ))
}
