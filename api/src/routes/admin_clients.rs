//! Operator API for OAuth clients: `POST`/`GET /admin/v1/tenants/{slug}/clients` and
//! `DELETE /admin/v1/clients/{client_id}`. The secret is in the creation response only.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::client::{ClientId, FixedClaims, OAuthClient};
use scimgate_domain::scope::Scope;
use scimgate_domain::service::oauth_clients::ClientRequest;
use scimgate_domain::tenant::TenantSlug;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::routes::admin::{operator, parse_body};
use crate::routes::fallback::method_not_allowed;
use crate::scim_json::{read_json, scim_response};

/// Mounted inside the `/admin/v1` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/tenants/{slug}/clients")
            .route(web::get().to(list_clients))
            .route(web::post().to(create_client))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/clients/{client_id}")
            .route(web::delete().to(revoke_client))
            .default_service(web::to(method_not_allowed)),
    );
}

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

async fn create_client(
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let input: NewClient = parse_body(read_json(&req, payload, state.max_body_bytes).await?)?;
    let request = ClientRequest {
        name: input.name.unwrap_or_else(|| "admin-api".into()),
        scopes: Scope::parse_list(&input.scopes.join(" "))?,
        claims: input
            .claims
            .map(FixedClaims::parse)
            .transpose()?
            .unwrap_or_default(),
        policy: input
            .policy
            .filter(|p| !p.is_null())
            .map(|p| Policy::parse(p, state.resources.registry()))
            .transpose()?,
    };
    let issued = state
        .clients
        .create(&TenantSlug::parse(&slug)?, request)
        .await?;
    let mut body = client_json(&issued.client);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("clientSecret".into(), Value::String(issued.client_secret));
    }
    Ok(scim_response(StatusCode::CREATED, &body))
}

async fn list_clients(req: HttpRequest, slug: web::Path<String>) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let clients: Vec<Value> = state
        .clients
        .list(&TenantSlug::parse(&slug)?)
        .await?
        .iter()
        .map(client_json)
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "clients": clients }),
    ))
}

async fn revoke_client(req: HttpRequest, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let state = operator(&req)?;
    let client = state.clients.revoke(&ClientId::parse(&id)?).await?;
    Ok(scim_response(StatusCode::OK, &client_json(&client)))
}
