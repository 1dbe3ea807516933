//! Operator API for the authorization servers a tenant trusts:
//! `POST`/`GET /admin/v1/tenants/{slug}/trusted-issuers` and
//! `DELETE /admin/v1/tenants/{slug}/trusted-issuers/{id}`. The introspection client secret
//! goes in and is never given back.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::trusted_issuer::{
    IntrospectionSecret, IssuerId, TrustedIssuer, TrustedIssuerRequest, Verification,
};
use scimgate_domain::scope::Scope;
use scimgate_domain::tenant::TenantSlug;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::admin_caller::operator;
use crate::extract::scim_caller::request_id;
use crate::routes::admin::parse_body;
use crate::routes::fallback::method_not_allowed;
use crate::scim_json::{read_json, scim_response};
use scimgate_domain::service::admin_context::AdminContext;

/// Mounted inside the `/admin/v1` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/tenants/{slug}/trusted-issuers")
            .route(web::get().to(list_issuers))
            .route(web::post().to(create_issuer))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/tenants/{slug}/trusted-issuers/{id}")
            .route(web::delete().to(delete_issuer))
            .default_service(web::to(method_not_allowed)),
    );
}

pub fn issuer_json(issuer: &TrustedIssuer) -> Value {
    let mut body = json!({
        "id": issuer.id,
        "issuer": issuer.issuer,
        "audience": issuer.audience,
        "scopeClaim": issuer.scope_claim,
        "allowedScopes": issuer.allowed_scopes,
        "copyClaims": issuer.copy_claims,
        "policy": issuer.policy,
        "created": issuer.created,
    });
    if let Some(obj) = body.as_object_mut() {
        match &issuer.verification {
            Verification::Jwks { url } => {
                obj.insert("jwksUrl".into(), url.as_str().into());
            }
            Verification::Introspection { url, client_id } => {
                obj.insert("introspectionUrl".into(), url.as_str().into());
                obj.insert("clientId".into(), client_id.as_str().into());
            }
        }
    }
    body
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NewIssuer {
    issuer: String,
    audience: String,
    jwks_url: Option<String>,
    introspection_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope_claim: Option<String>,
    #[serde(default)]
    allowed_scopes: Vec<String>,
    #[serde(default)]
    copy_claims: Vec<String>,
    policy: Option<Value>,
}

async fn create_issuer(
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let input: NewIssuer = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let request = TrustedIssuerRequest {
        issuer: input.issuer,
        audience: input.audience,
        jwks_url: input.jwks_url,
        introspection_url: input.introspection_url,
        client_id: input.client_id,
        client_secret: input.client_secret.map(IntrospectionSecret::new),
        scope_claim: input.scope_claim,
        allowed_scopes: Scope::parse_list(&input.allowed_scopes.join(" "))?,
        copy_claims: input.copy_claims,
        policy: input
            .policy
            .filter(|p| !p.is_null())
            .map(|p| Policy::parse(p, state.resources.registry()))
            .transpose()?,
    };
    let issuer = state
        .trusted_issuers
        .create(
            &AdminContext::operator(request_id(&req)),
            &TenantSlug::parse(&slug)?,
            request,
        )
        .await?;
    Ok(scim_response(StatusCode::CREATED, &issuer_json(&issuer)))
}

async fn list_issuers(req: HttpRequest, slug: web::Path<String>) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let issuers: Vec<Value> = state
        .trusted_issuers
        .list(&TenantSlug::parse(&slug)?)
        .await?
        .iter()
        .map(issuer_json)
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "trustedIssuers": issuers }),
    ))
}

async fn delete_issuer(
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let (slug, id) = path.into_inner();
    let issuer = state
        .trusted_issuers
        .delete(
            &AdminContext::operator(request_id(&req)),
            &TenantSlug::parse(&slug)?,
            IssuerId::parse(&id)?,
        )
        .await?;
    Ok(scim_response(StatusCode::OK, &issuer_json(&issuer)))
}
