//! Opaque tokens of a tenant: create (the token is in this response only), list, revoke.
//! Served under `/admin/v1` (operator) and `/t/{tenant}/admin/v1` (tenant admin) alike.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::TokenRequest;
use scimgate_domain::token::{TokenId, TokenRecord};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::admin_caller::AdminCaller;
use crate::routes::admin::{created_with_secret, parse_body};
use crate::scim_json::{read_json, scim_response};

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
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NewToken {
    name: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
}

pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let input: NewToken = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let request = TokenRequest {
        name: input.name.unwrap_or_else(|| "admin-api".into()),
        scopes: Scope::parse_list(&input.scopes.join(" "))?,
        expires_at: input.expires_at,
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

pub(crate) async fn revoke(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let id = TokenId::parse(req.match_info().get("id").unwrap_or_default())?;
    let record = admin.state.admin.revoke_token_as(&admin.ctx, &id).await?;
    Ok(scim_response(StatusCode::OK, &token_json(&record)))
}
