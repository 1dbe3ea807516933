//! OAuth clients of a tenant: create (the secret is in this response only), list, get,
//! update (`PATCH`: name, scopes, claims, policy) and revoke (`DELETE`). Served under
//! `/admin/v1` (operator) and `/t/{tenant}/admin/v1` (tenant admin) alike.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::oauth::client::{ClientId, OAuthClient};
use scimgate_domain::service::oauth_clients::ClientRequest;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::admin_caller::AdminCaller;
use crate::routes::admin::{created_with_secret, parse_body};
use crate::routes::admin_fields::{CredentialPatch, claims, name, policy, scopes};
use crate::scim_json::{read_json, scim_response};

pub fn client_json(client: &OAuthClient) -> Value {
    json!({
        "clientId": client.client_id,
        "name": client.name,
        "scopes": client.scopes,
        "claims": client.claims.as_map(),
        "policy": client.policy,
        "created": client.created,
        "revokedAt": client.revoked_at,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewClient {
    name: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    claims: Option<Value>,
    policy: Option<Value>,
}

fn client_id(req: &HttpRequest) -> ApiResult<ClientId> {
    Ok(ClientId::parse(
        req.match_info().get("client_id").unwrap_or_default(),
    )?)
}

pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let input: NewClient = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let request = ClientRequest {
        name: name(input.name, "admin-api")?,
        scopes: scopes(&input.scopes)?,
        claims: input.claims.map(claims).transpose()?.unwrap_or_default(),
        policy: match input.policy {
            Some(value) => policy(value, state.resources.registry())?,
            None => None,
        },
    };
    let issued = state
        .clients
        .create_as(&admin.ctx, &admin.tenant(&req)?, request)
        .await?;
    let body = client_json(&issued.client);
    Ok(created_with_secret(
        body,
        "clientSecret",
        issued.client_secret,
    ))
}

pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let clients: Vec<Value> = admin
        .state
        .clients
        .list_as(&admin.ctx, &admin.tenant(&req)?)
        .await?
        .iter()
        .map(client_json)
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "clients": clients }),
    ))
}

pub(crate) async fn get(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let client = admin
        .state
        .clients
        .get_as(&admin.ctx, &client_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}

pub(crate) async fn update(
    req: HttpRequest,
    admin: AdminCaller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let input: CredentialPatch = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let change = input.into_change(state.resources.registry())?;
    let client = state
        .clients
        .update_as(&admin.ctx, &client_id(&req)?, change)
        .await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}

pub(crate) async fn revoke(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let client = admin
        .state
        .clients
        .revoke_as(&admin.ctx, &client_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}
