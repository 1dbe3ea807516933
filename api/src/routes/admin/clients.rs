//! OAuth clients of a tenant: create (the secret is in this response only), list, get,
//! update (`PATCH`: name, scopes, claims, policy) and revoke (`DELETE`). Served under
//! `/admin/v1` (operator) and `/t/{tenant}/admin/v1` (tenant admin) alike.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use scimgate_domain::oauth::client::{ClientId, OAuthClient};
use scimgate_domain::service::admin::clients::ClientRequest;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::created_with_secret;
use super::fields::name;
use super::fields::{CredentialPatch, claims, policy, scopes};
use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::scim_json::scim_response;

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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewClient {
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

#[utoipa::path(
    post, path = "/clients", tag = "Admin: OAuth clients",
    request_body(content((NewClient = "application/scim+json"), (NewClient = "application/json"))),
    responses((status = 201, description = "The new client, with its secret (`clientSecret`) shown this once", body = crate::openapi::admin_schemas::Client, content_type = "application/scim+json"))
)]
pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<NewClient>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
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
        .create(&admin.ctx, &admin.tenant(&req)?, request)
        .await?;
    let body = client_json(&issued.client);
    Ok(created_with_secret(
        body,
        "clientSecret",
        issued.client_secret,
    ))
}

#[utoipa::path(
    get, path = "/clients", tag = "Admin: OAuth clients",
    responses((status = 200, description = "The tenant's OAuth clients", body = crate::openapi::admin_schemas::ClientList, content_type = "application/scim+json"))
)]
pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let clients: Vec<Value> = admin
        .state
        .clients
        .list(&admin.ctx, &admin.tenant(&req)?)
        .await?
        .iter()
        .map(client_json)
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "clients": clients }),
    ))
}

#[utoipa::path(
    get, path = "/clients/{client_id}", tag = "Admin: OAuth clients",
    params(("client_id" = String, Path, description = "The client id")),
    responses((status = 200, description = "The client", body = crate::openapi::admin_schemas::Client, content_type = "application/scim+json"))
)]
pub(crate) async fn get(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let client = admin
        .state
        .clients
        .get(&admin.ctx, &client_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}

#[utoipa::path(
    patch, path = "/clients/{client_id}", tag = "Admin: OAuth clients",
    request_body(content((CredentialPatch = "application/scim+json"), (CredentialPatch = "application/json"))),
    params(("client_id" = String, Path, description = "The client id")),
    responses((status = 200, description = "The updated client", body = crate::openapi::admin_schemas::Client, content_type = "application/scim+json"))
)]
pub(crate) async fn update(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<CredentialPatch>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let change = input.into_change(state.resources.registry())?;
    let client = state
        .clients
        .update(&admin.ctx, &client_id(&req)?, change)
        .await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}

#[utoipa::path(
    delete, path = "/clients/{client_id}", tag = "Admin: OAuth clients",
    params(("client_id" = String, Path, description = "The client id")),
    responses((status = 200, description = "The revoked client", body = crate::openapi::admin_schemas::Client, content_type = "application/scim+json"))
)]
pub(crate) async fn revoke(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let client = admin
        .state
        .clients
        .revoke(&admin.ctx, &client_id(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}
