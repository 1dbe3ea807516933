//! Operator API under `/admin/v1`, guarded by `SCIMGATE_ADMIN_KEY`: tenants here; tokens,
//! OAuth clients and the audit log in `admin_tokens.rs`, `admin_clients.rs` and
//! `admin_audit.rs`, whose handlers also serve the tenant self-service API
//! (`tenant_admin.rs`). The same use cases as the CLI; JSON in and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::tenant::{Tenant, TenantSlug};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::admin_caller::AdminCaller;
use crate::extract::scim_caller::origin;
use crate::routes::fallback::method_not_allowed;
use crate::routes::{admin_audit, admin_clients, admin_tokens};
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
            .service(
                web::resource("/tenants/{slug}/tokens")
                    .route(web::get().to(admin_tokens::list))
                    .route(web::post().to(admin_tokens::create))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tokens/{id}")
                    .route(web::delete().to(admin_tokens::revoke))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tenants/{slug}/clients")
                    .route(web::get().to(admin_clients::list))
                    .route(web::post().to(admin_clients::create))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/clients/{client_id}")
                    .route(web::get().to(admin_clients::get))
                    .route(web::patch().to(admin_clients::update))
                    .route(web::delete().to(admin_clients::revoke))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tenants/{slug}/audit")
                    .route(web::get().to(admin_audit::page))
                    .default_service(web::to(method_not_allowed)),
            ),
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
        .create_tenant_as(&admin.ctx, TenantSlug::parse(&input.slug)?, input.name)
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
