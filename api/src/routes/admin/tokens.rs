//! Opaque tokens of a tenant: create (the token is in this response only), list, update
//! (`PATCH`: name, scopes, claims, policy), rotate (a new token, the old one working on for a
//! grace period) and revoke (`DELETE`). Served under `/admin/v1`
//! (operator) and `/t/{tenant}/admin/v1` (tenant admin) alike.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use scimgate_domain::service::admin::tokens::TokenRequest;
use scimgate_domain::token::{TokenId, TokenRecord};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::created_with_secret;
use super::fields::name;
use super::fields::{CredentialPatch, claims, policy, scopes};
use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::scim_json::scim_response;

pub fn token_json(record: &TokenRecord) -> Value {
    json!({
        "id": record.id,
        "name": record.name,
        "scopes": record.scopes,
        "claims": record.claims.as_map(),
        "policy": record.policy,
        "created": record.created,
        "expiresAt": record.expires_at,
        "revokedAt": record.revoked_at,
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct NewToken {
    name: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
    claims: Option<Value>,
    policy: Option<Value>,
}

fn token_id(req: &HttpRequest) -> ApiResult<TokenId> {
    Ok(TokenId::parse(
        req.match_info().get("id").unwrap_or_default(),
    )?)
}

#[utoipa::path(
    post, path = "/tokens", tag = "Admin: tokens",
    request_body(content((NewToken = "application/scim+json"), (NewToken = "application/json"))),
    responses((status = 201, description = "The new token, with its secret (`token`) shown this once", body = crate::openapi::admin_schemas::Token, content_type = "application/scim+json"))
)]
pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<NewToken>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let request = TokenRequest {
        name: name(input.name, "admin-api")?,
        scopes: scopes(&input.scopes)?,
        expires_at: input.expires_at,
        claims: input.claims.map(claims).transpose()?.unwrap_or_default(),
        policy: match input.policy {
            Some(value) => policy(value, state.resources.registry())?,
            None => None,
        },
    };
    let issued = state
        .tokens
        .issue(&admin.ctx, &admin.tenant(&req)?, request)
        .await?;
    let body = token_json(&issued.record);
    Ok(created_with_secret(body, "token", issued.token))
}

#[utoipa::path(
    get, path = "/tokens", tag = "Admin: tokens",
    responses((status = 200, description = "The tenant's tokens", body = crate::openapi::admin_schemas::TokenList, content_type = "application/scim+json"))
)]
pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let tokens: Vec<Value> = admin
        .state
        .tokens
        .list(&admin.ctx, &admin.tenant(&req)?)
        .await?
        .iter()
        .map(token_json)
        .collect();
    Ok(scim_response(StatusCode::OK, &json!({ "tokens": tokens })))
}

#[utoipa::path(
    patch, path = "/tokens/{id}", tag = "Admin: tokens",
    request_body(content((CredentialPatch = "application/scim+json"), (CredentialPatch = "application/json"))),
    params(("id" = String, Path, description = "The token id")),
    responses((status = 200, description = "The updated token", body = crate::openapi::admin_schemas::Token, content_type = "application/scim+json"))
)]
pub(crate) async fn update(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<CredentialPatch>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let change = input.into_change(state.resources.registry())?;
    let record = state
        .tokens
        .update(&admin.ctx, &token_id(&req)?, change)
        .await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}

#[utoipa::path(
    get, path = "/tokens/{id}", tag = "Admin: tokens",
    params(("id" = String, Path, description = "The token id")),
    responses((status = 200, description = "The token", body = crate::openapi::admin_schemas::Token, content_type = "application/scim+json"))
)]
pub(crate) async fn get(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let record = admin.state.tokens.get(&admin.ctx, &token_id(&req)?).await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}

#[utoipa::path(
    delete, path = "/tokens/{id}", tag = "Admin: tokens",
    params(("id" = String, Path, description = "The token id")),
    responses((status = 200, description = "The revoked token", body = crate::openapi::admin_schemas::Token, content_type = "application/scim+json"))
)]
pub(crate) async fn revoke(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let record = admin
        .state
        .tokens
        .revoke(&admin.ctx, &token_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RotateToken {
    /// How long the old token keeps working, 0 to 2 592 000 (30 days); default 0.
    #[serde(default)]
    grace_seconds: i64,
}

#[utoipa::path(
    post, path = "/tokens/{id}/rotate", tag = "Admin: tokens",
    request_body(content((RotateToken = "application/scim+json"), (RotateToken = "application/json"))),
    params(("id" = String, Path, description = "The token id")),
    responses((status = 201, description = "The new token, with its secret (`token`) shown this once, and `previous`: `{\"id\", \"expiresAt\"}`, when the rotated token stops working", body = crate::openapi::admin_schemas::Token, content_type = "application/scim+json"))
)]
pub(crate) async fn rotate(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<RotateToken>,
) -> ApiResult<HttpResponse> {
    let grace = chrono::TimeDelta::try_seconds(input.grace_seconds).ok_or_else(|| {
        scimgate_domain::error::DomainError::InvalidValue("graceSeconds is out of range".into())
    })?;
    let id = token_id(&req)?;
    let rotated = admin.state.tokens.rotate(&admin.ctx, &id, grace).await?;
    let mut body = token_json(&rotated.new.record);
    if let Some(obj) = body.as_object_mut() {
        obj.insert(
            "previous".into(),
            json!({ "id": id.to_string(), "expiresAt": rotated.old_expires_at }),
        );
    }
    Ok(created_with_secret(body, "token", rotated.new.token))
}
