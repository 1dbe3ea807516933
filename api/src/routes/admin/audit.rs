//! A tenant's audit log, newest first: `GET .../audit?since=<RFC 3339>&limit=<n>&cursor=<c>`.
//! Served under `/admin/v1/tenants/{slug}` (operator) and `/t/{tenant}/admin/v1` (tenant
//! admin). `nextCursor` is present while older entries remain.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use scimgate_domain::audit::AuditEntry;
use scimgate_domain::error::DomainError;
use scimgate_domain::service::audit::AuditPageRequest;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::admin_caller::AdminCaller;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AuditParams {
    since: Option<DateTime<Utc>>,
    limit: Option<u64>,
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/audit", tag = "Admin: audit log",
    params(AuditParams),
    responses((status = 200, description = "A page of the audit log, newest first", body = crate::openapi::admin_schemas::AuditPage, content_type = "application/scim+json"))
)]
pub(crate) async fn page(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let params = web::Query::<AuditParams>::from_query(req.query_string())
        .map_err(|err| DomainError::InvalidQuery(format!("invalid query: {err}")))?
        .into_inner();
    let request = AuditPageRequest {
        since: params.since,
        cursor: params.cursor,
        limit: params.limit,
    };
    let page = admin
        .state
        .tenants
        .audit_log(&admin.ctx, &admin.tenant(&req)?, &request)
        .await?;
    let body = AuditPageBody {
        entries: &page.entries,
        next_cursor: page.next_cursor.as_deref(),
    };
    Ok(crate::scim_json::scim_json_response(StatusCode::OK, &body))
}

/// The answer: `nextCursor` only while older entries remain.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuditPageBody<'a> {
    entries: &'a [AuditEntry],
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<&'a str>,
}
