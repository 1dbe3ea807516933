//! Opaque tokens of a tenant: create (the token is in this response only), list, update
//! (`PATCH`: name, scopes, claims, policy) and revoke (`DELETE`). Served under `/admin/v1`
//! (operator) and `/t/{tenant}/admin/v1` (tenant admin) alike.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use scimgate_domain::service::admin::TokenRequest;
use scimgate_domain::token::{TokenId, TokenRecord};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::admin_caller::AdminCaller;
use crate::routes::admin::{created_with_secret, parse_body};
use crate::routes::admin_fields::{CredentialPatch, claims, name, policy, scopes};
use crate::scim_json::{read_json, scim_response};

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NewToken {
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

pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let input: NewToken = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
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
        .admin
        .issue_token_as(&admin.ctx, &admin.tenant(&req)?, request)
        .await?;
    let body = token_json(&issued.record);
    Ok(created_with_secret(body, "token", issued.token))
}

pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let tokens: Vec<Value> = admin
        .state
        .admin
        .list_tokens_as(&admin.ctx, &admin.tenant(&req)?)
        .await?
        .iter()
        .map(token_json)
        .collect();
    Ok(scim_response(StatusCode::OK, &json!({ "tokens": tokens })))
}

pub(crate) async fn update(
    req: HttpRequest,
    admin: AdminCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let input: CredentialPatch = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let change = input.into_change(state.resources.registry())?;
    let record = state
        .admin
        .update_token_as(&admin.ctx, &token_id(&req)?, change)
        .await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}

pub(crate) async fn get(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let record = admin
        .state
        .admin
        .token_as(&admin.ctx, &token_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}

pub(crate) async fn revoke(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let record = admin
        .state
        .admin
        .revoke_token_as(&admin.ctx, &token_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}
