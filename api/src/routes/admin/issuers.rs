//! The authorization servers a tenant trusts: `POST`/`GET .../trusted-issuers` and
//! `DELETE .../trusted-issuers/{id}`, served to the operator under
//! `/admin/v1/tenants/{slug}` and to the tenant's own admin under `/t/{tenant}/admin/v1`
//! (whose entries must be https and reach public addresses only). The introspection client
//! secret goes in and is never given back.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::trusted_issuer::{
    IntrospectionSecret, IssuerId, TrustedIssuer, TrustedIssuerRequest, Verification,
};
use scimgate_domain::scope::Scope;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::scim_json::scim_response;

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
        "registeredBy": issuer.registered_by.as_str(),
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct NewIssuer {
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

#[utoipa::path(
    post, path = "/trusted-issuers", tag = "Admin: trusted issuers",
    request_body(content((NewIssuer = "application/scim+json"), (NewIssuer = "application/json"))),
    responses((status = 201, description = "The new trusted issuer", body = crate::openapi::admin_schemas::TrustedIssuer, content_type = "application/scim+json"))
)]
pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<NewIssuer>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
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
        .create(&admin.ctx, &admin.tenant(&req)?, request)
        .await?;
    Ok(scim_response(StatusCode::CREATED, &issuer_json(&issuer)))
}

#[utoipa::path(
    get, path = "/trusted-issuers", tag = "Admin: trusted issuers",
    responses((status = 200, description = "The tenant's trusted issuers", body = crate::openapi::admin_schemas::TrustedIssuerList, content_type = "application/scim+json"))
)]
pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let issuers: Vec<Value> = admin
        .state
        .trusted_issuers
        .list(&admin.ctx, &admin.tenant(&req)?)
        .await?
        .iter()
        .map(issuer_json)
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "trustedIssuers": issuers }),
    ))
}

#[utoipa::path(
    delete, path = "/trusted-issuers/{id}", tag = "Admin: trusted issuers",
    params(("id" = String, Path, description = "The issuer id")),
    responses((status = 200, description = "The deleted trusted issuer", body = crate::openapi::admin_schemas::TrustedIssuer, content_type = "application/scim+json"))
)]
pub(crate) async fn delete(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let id = IssuerId::parse(req.match_info().get("id").unwrap_or_default())?;
    let issuer = admin
        .state
        .trusted_issuers
        .delete(&admin.ctx, &admin.tenant(&req)?, id)
        .await?;
    Ok(scim_response(StatusCode::OK, &issuer_json(&issuer)))
}
