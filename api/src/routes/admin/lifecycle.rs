//! A tenant's lifecycle policy and archive: `GET`/`PUT .../lifecycle` (what `DELETE` does),
//! `GET .../archive` (soft-deleted resources awaiting their purge) and
//! `POST .../archive/{id}/restore`. Served to the operator under `/admin/v1/tenants/{slug}`
//! and to the tenant's admin under `/t/{tenant}/admin/v1`.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse};
use scimgate_domain::error::DomainError;
use scimgate_domain::guard_rails::GuardRails;
use scimgate_domain::lifecycle::{Deletion, LifecyclePolicy};
use scimgate_domain::resource::render::{location, render};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::extract::scim_caller::origin;
use crate::scim_json::scim_response;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct PolicyInput {
    /// `hard` (the default: a DELETE removes at once) or `soft` (kept `retentionDays`, then
    /// purged).
    deletion: String,
    /// Days a soft-deleted resource can be restored, 1 to 3650; only with `soft`.
    retention_days: Option<u32>,
    /// Domains a User's userName (when it holds an `@`) and primary (else work) emails must
    /// be in; absent or empty turns the rule off. Subdomains only when listed.
    #[serde(default)]
    verified_domains: Vec<String>,
    /// Most active users the tenant may hold; absent or null = no limit.
    seat_limit: Option<u64>,
}

#[utoipa::path(
    get, path = "/lifecycle", tag = "Admin: lifecycle",
    responses((status = 200, description = "The tenant's lifecycle policy", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn get_policy(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let policy = admin
        .state
        .lifecycle
        .policy(&admin.ctx, &admin.tenant(&req)?)
        .await?;
    Ok(scim_response(StatusCode::OK, &json!(policy)))
}

#[utoipa::path(
    put, path = "/lifecycle", tag = "Admin: lifecycle",
    request_body(content((PolicyInput = "application/scim+json"), (PolicyInput = "application/json"))),
    responses((status = 200, description = "The policy now in force", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn set_policy(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<PolicyInput>,
) -> ApiResult<HttpResponse> {
    let policy = LifecyclePolicy {
        deletion: Deletion::parse(&input.deletion, input.retention_days)?,
        guard_rails: GuardRails::parse(&input.verified_domains, input.seat_limit)?,
    };
    let policy = admin
        .state
        .lifecycle
        .set_policy(&admin.ctx, &admin.tenant(&req)?, policy)
        .await?;
    Ok(scim_response(StatusCode::OK, &json!(policy)))
}

#[utoipa::path(
    get, path = "/archive", tag = "Admin: lifecycle",
    responses((status = 200, description = "Soft-deleted resources not yet purged, newest deletion first (at most 1000)", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn archive(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let archived = admin
        .state
        .lifecycle
        .archived(&admin.ctx, &admin.tenant(&req)?)
        .await?;
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "resources": archived }),
    ))
}

#[utoipa::path(
    post, path = "/archive/{id}/restore", tag = "Admin: lifecycle",
    params(("id" = String, Path, description = "The soft-deleted resource's id")),
    responses(
        (status = 201, description = "The restored resource, as its SCIM endpoint shows it", body = Object, content_type = "application/scim+json"),
        (status = 409, description = "Its userName was taken meanwhile (scimType uniqueness)"),
    )
)]
pub(crate) async fn restore(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let raw = req.match_info().get("id").unwrap_or_default();
    let id = Uuid::try_parse(raw)
        .map_err(|_| DomainError::NotFound(format!("no archived resource '{raw}'")))?;
    let slug = admin.tenant(&req)?;
    let restored = admin
        .state
        .lifecycle
        .restore(&admin.ctx, &slug, id, &admin.state.resources)
        .await?;
    let base = format!(
        "{}/t/{slug}/scim/v2",
        origin(&req, admin.state.public_url.as_deref())
    );
    let mut response = scim_response(StatusCode::CREATED, &render(&restored, &base));
    let at = location(&base, restored.kind, &restored.id.to_string());
    if let Ok(value) = at.parse() {
        response.headers_mut().insert(LOCATION, value);
    }
    Ok(response)
}
