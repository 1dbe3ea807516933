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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewTenant {
    slug: String,
    name: Option<String>,
}

pub(super) async fn create_tenant(
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

pub(super) async fn list_tenants(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
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

pub(super) async fn get_tenant(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let tenant = state.tenants.get(&admin.ctx, &admin.tenant(&req)?).await?;
    Ok(scim_response(
        StatusCode::OK,
        &tenant_json(&req, state, &tenant),
    ))
}
