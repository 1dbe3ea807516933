//! The operator's tenant routes under `/admin/v1/tenants`: create, list, read. Only the
//! operator (`SCIMGATE_ADMIN_KEY`) reaches them; the same use cases as the CLI.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::tenant::{Tenant, TenantSlug};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::extract::scim_caller::origin;
use crate::scim_json::scim_response;
use crate::state::SharedState;

fn tenant_json(req: &HttpRequest, state: &SharedState, tenant: &Tenant) -> Value {
    json!({
        "id": tenant.id.0,
        "slug": tenant.slug,
        "name": tenant.name,
        "created": tenant.created,
        "scimBaseUrl": format!("{}/t/{}/scim/v2", origin(req, state.public_url.as_deref()), tenant.slug),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewTenant {
    slug: String,
    name: Option<String>,
}

#[utoipa::path(
    post, path = "/admin/v1/tenants", tag = "Operator: tenants",
    request_body(content((NewTenant = "application/scim+json"), (NewTenant = "application/json"))),
    responses((status = 201, description = "The new tenant", body = crate::openapi::admin_schemas::Tenant, content_type = "application/scim+json")),
    security(("adminKey" = []))
)]
pub(crate) async fn create_tenant(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<NewTenant>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let tenant = state
        .tenants
        .create(
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

#[utoipa::path(
    get, path = "/admin/v1/tenants", tag = "Operator: tenants",
    responses((status = 200, description = "Every tenant", body = crate::openapi::admin_schemas::TenantList, content_type = "application/scim+json")),
    security(("adminKey" = []))
)]
pub(crate) async fn list_tenants(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let tenants: Vec<Value> = state
        .tenants
        .list(&admin.ctx)
        .await?
        .iter()
        .map(|t| tenant_json(&req, state, t))
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "tenants": tenants }),
    ))
}

#[utoipa::path(
    get, path = "/admin/v1/tenants/{slug}", tag = "Operator: tenants",
    params(("slug" = String, Path, description = "The tenant's slug")),
    responses((status = 200, description = "The tenant", body = crate::openapi::admin_schemas::Tenant, content_type = "application/scim+json")),
    security(("adminKey" = []))
)]
pub(crate) async fn get_tenant(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let tenant = state.tenants.get(&admin.ctx, &admin.tenant(&req)?).await?;
    Ok(scim_response(
        StatusCode::OK,
        &tenant_json(&req, state, &tenant),
    ))
}
