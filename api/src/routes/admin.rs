//! Operator API under `/admin/v1`: tenants and their tokens (OAuth clients in
//! `admin_clients.rs`), guarded by `SCIMGATE_ADMIN_KEY`.
//! The same use cases as the CLI; JSON in and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use scimgate_domain::error::DomainError;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::TokenRequest;
use scimgate_domain::tenant::{Tenant, TenantSlug};
use scimgate_domain::token::{TokenId, TokenRecord};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::bearer::bearer_token;
use crate::extract::scim_caller::{origin, state_of};
use crate::routes::fallback::method_not_allowed;
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
                    .route(web::get().to(list_tokens))
                    .route(web::post().to(create_token))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tokens/{id}")
                    .route(web::delete().to(revoke_token))
                    .default_service(web::to(method_not_allowed)),
            )
            .configure(crate::routes::admin_clients::configure)
            .configure(crate::routes::admin_issuers::configure),
    );
}

/// The state, once the operator key checks out.
pub(crate) fn operator(req: &HttpRequest) -> ApiResult<SharedState> {
    let state = state_of(req)?;
    let key = state.admin_key.as_ref().ok_or_else(|| {
        DomainError::Unauthenticated(
            "the admin API is disabled: set SCIMGATE_ADMIN_KEY to enable it".into(),
        )
    })?;
    if !key.matches(bearer_token(req)?) {
        return Err(DomainError::Unauthenticated("wrong operator key".into()).into());
    }
    Ok(state)
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

pub fn token_json(record: &TokenRecord) -> Value {
    json!({
        "id": record.id,
        "name": record.name,
        "scopes": record.scopes,
        "created": record.created,
        "expiresAt": record.expires_at,
        "revokedAt": record.revoked_at,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTenant {
    slug: String,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NewToken {
    name: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
}

pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: Value) -> ApiResult<T> {
    serde_json::from_value(body)
        .map_err(|err| ApiError::InvalidSyntax(format!("invalid request: {err}")))
}

async fn create_tenant(req: HttpRequest, payload: web::Payload) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let input: NewTenant = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let tenant = state
        .admin
        .create_tenant(TenantSlug::parse(&input.slug)?, input.name)
        .await?;
    Ok(scim_response(
        StatusCode::CREATED,
        &tenant_json(&req, &state, &tenant),
    ))
}

async fn list_tenants(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let tenants: Vec<Value> = state
        .admin
        .list_tenants()
        .await?
        .iter()
        .map(|t| tenant_json(&req, &state, t))
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "tenants": tenants }),
    ))
}

async fn get_tenant(req: HttpRequest, slug: web::Path<String>) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let tenant = state.admin.tenant(&TenantSlug::parse(&slug)?).await?;
    Ok(scim_response(
        StatusCode::OK,
        &tenant_json(&req, &state, &tenant),
    ))
}

async fn create_token(
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let input: NewToken = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let scopes = Scope::parse_list(&input.scopes.join(" "))?;
    let issued = state
        .admin
        .issue_token(
            &TenantSlug::parse(&slug)?,
            TokenRequest {
                name: input.name.unwrap_or_else(|| "admin-api".into()),
                scopes,
                expires_at: input.expires_at,
            },
        )
        .await?;
    let mut body = token_json(&issued.record);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("token".into(), Value::String(issued.token));
    }
    Ok(scim_response(StatusCode::CREATED, &body))
}

async fn list_tokens(req: HttpRequest, slug: web::Path<String>) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let tokens: Vec<Value> = state
        .admin
        .list_tokens(&TenantSlug::parse(&slug)?)
        .await?
        .iter()
        .map(token_json)
        .collect();
    Ok(scim_response(StatusCode::OK, &json!({ "tokens": tokens })))
}

async fn revoke_token(req: HttpRequest, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let record = state.admin.revoke_token(&TokenId::parse(&id)?).await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}
