//! Setup links of the web console: create (the link's URL, which carries its code, is in
//! this response only), list and revoke (`DELETE`). Served under `/admin/v1/tenants/{slug}`
//! (operator) and `/t/{tenant}/admin/v1` (a tenant admin making links for colleagues).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use scimgate_domain::console::{LinkStatus, SetupLink};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::created_with_secret;
use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::extract::scim_caller::origin;
use crate::scim_json::scim_response;

pub fn link_json(link: &SetupLink, status: LinkStatus) -> Value {
    json!({
        "id": link.id,
        "status": status.as_str(),
        "createdBy": link.created_by,
        "created": link.created,
        "expiresAt": link.expires_at,
        "redeemedAt": link.redeemed_at,
        "revokedAt": link.revoked_at,
    })
}

/// The page a link's code opens; `origin` is the public URL or the request's own.
pub fn setup_url(origin: &str, code: &str) -> String {
    format!("{origin}/console/setup/{code}")
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct NewSetupLink {
    /// Default: 7 days from now; at most 30 days.
    expires_at: Option<DateTime<Utc>>,
}

#[utoipa::path(
    post, path = "/setup-links", tag = "Admin: console setup links",
    request_body(content((NewSetupLink = "application/scim+json"), (NewSetupLink = "application/json"))),
    responses((status = 201, description = "The new link, with its URL (`url`, holding the code) shown this once", body = crate::openapi::admin_schemas::SetupLink, content_type = "application/scim+json"))
)]
pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<NewSetupLink>,
) -> ApiResult<HttpResponse> {
    let state = &admin.state;
    let issued = state
        .setup_links
        .issue(&admin.ctx, &admin.tenant(&req)?, input.expires_at)
        .await?;
    let url = setup_url(&origin(&req, state.public_url.as_deref()), &issued.code);
    let body = link_json(&issued.link, LinkStatus::Active);
    Ok(created_with_secret(body, "url", url))
}

#[utoipa::path(
    get, path = "/setup-links", tag = "Admin: console setup links",
    responses((status = 200, description = "The tenant's setup links, newest first (never their codes)", body = crate::openapi::admin_schemas::SetupLinkList, content_type = "application/scim+json"))
)]
pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let links = &admin.state.setup_links;
    let links: Vec<Value> = links
        .list(&admin.ctx, &admin.tenant(&req)?)
        .await?
        .iter()
        .map(|link| link_json(link, links.status(link)))
        .collect();
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "setupLinks": links }),
    ))
}

#[utoipa::path(
    delete, path = "/setup-links/{id}", tag = "Admin: console setup links",
    params(("id" = String, Path, description = "The link id")),
    responses((status = 200, description = "The revoked link", body = crate::openapi::admin_schemas::SetupLink, content_type = "application/scim+json"))
)]
pub(crate) async fn revoke(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let id = req.match_info().get("id").unwrap_or_default();
    let links = &admin.state.setup_links;
    let link = links.revoke(&admin.ctx, &admin.tenant(&req)?, id).await?;
    Ok(scim_response(
        StatusCode::OK,
        &link_json(&link, links.status(&link)),
    ))
}
