//! A tenant's webhook endpoints: `GET`/`POST .../webhooks`, `GET`/`PATCH`/`DELETE
//! .../webhooks/{id}`, `POST .../webhooks/{id}/rotate-secret`, `GET .../webhooks/{id}/deliveries`
//! (the delivery log) and `POST .../webhooks/{id}/replay`. Served to the operator under
//! `/admin/v1/tenants/{slug}` and to the tenant's admin under `/t/{tenant}/admin/v1`. The
//! signing secret is shown in the 201 of a creation and of a rotation, never again.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use scimgate_domain::error::DomainError;
use scimgate_domain::event::Variant;
use scimgate_domain::webhook::delivery::ReplayRange;
use scimgate_domain::webhook::request::{WebhookChange, WebhookRequest};
use scimgate_domain::webhook::{Webhook, WebhookFormat, WebhookStatus};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::body::created_with_secret;
use crate::error::ApiResult;
use crate::extract::admin_body::AdminJson;
use crate::extract::admin_caller::AdminCaller;
use crate::scim_json::scim_response;

/// How long a rotated-out secret keeps signing when the request names no grace period.
const DEFAULT_GRACE: Duration = Duration::from_secs(24 * 3600);

fn webhook_json(webhook: &Webhook) -> Value {
    serde_json::to_value(webhook).unwrap_or(Value::Null)
}

fn webhook_id(req: &HttpRequest) -> ApiResult<Uuid> {
    let raw = req.match_info().get("id").unwrap_or_default();
    Uuid::try_parse(raw)
        .map_err(|_| DomainError::NotFound(format!("webhook '{raw}' not found")).into())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct NewWebhook {
    /// Where events are posted: https (any address for the operator's endpoints).
    url: String,
    /// Dotted event types (`user.created`, `group.updated`, ...); absent or empty for all.
    events: Option<Vec<String>>,
    /// `json` (default, Standard Webhooks signatures) or `set` (RFC 8935 signed SETs).
    format: Option<String>,
    /// `full` (default) or `notice`.
    variant: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct WebhookUpdate {
    url: Option<String>,
    events: Option<Vec<String>>,
    format: Option<String>,
    variant: Option<String>,
    /// `active` (resume) or `paused`.
    status: Option<String>,
}

fn format_of(raw: Option<String>) -> ApiResult<Option<WebhookFormat>> {
    raw.map(|raw| {
        WebhookFormat::parse(&raw).ok_or_else(|| {
            DomainError::InvalidValue(format!("format: '{raw}' is not json or set")).into()
        })
    })
    .transpose()
}

fn variant_of(raw: Option<String>) -> ApiResult<Option<Variant>> {
    Ok(raw.map(|raw| Variant::parse(&raw)).transpose()?)
}

#[utoipa::path(
    post, path = "/webhooks", tag = "Admin: webhooks",
    request_body(content((NewWebhook = "application/scim+json"), (NewWebhook = "application/json"))),
    responses((status = 201, description = "The new endpoint, with its signing secret (shown once)", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn create(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<NewWebhook>,
) -> ApiResult<HttpResponse> {
    let request = WebhookRequest {
        url: input.url,
        events: input.events,
        format: format_of(input.format)?,
        variant: variant_of(input.variant)?,
    };
    let created = admin
        .state
        .webhooks
        .create(&admin.ctx, &admin.tenant(&req)?, request)
        .await?;
    Ok(created_with_secret(
        webhook_json(&created.webhook),
        "secret",
        created.secret,
    ))
}

#[utoipa::path(
    get, path = "/webhooks", tag = "Admin: webhooks",
    responses((status = 200, description = "The tenant's webhook endpoints", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn list(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let hooks = admin
        .state
        .webhooks
        .list(&admin.ctx, &admin.tenant(&req)?)
        .await?;
    let hooks: Vec<Value> = hooks.iter().map(webhook_json).collect();
    Ok(scim_response(StatusCode::OK, &json!({ "webhooks": hooks })))
}

#[utoipa::path(
    get, path = "/webhooks/{id}", tag = "Admin: webhooks",
    params(("id" = String, Path, description = "The endpoint id")),
    responses((status = 200, description = "The endpoint", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn get(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let id = webhook_id(&req)?;
    let hook = admin
        .state
        .webhooks
        .get(&admin.ctx, &admin.tenant(&req)?, id)
        .await?;
    Ok(scim_response(StatusCode::OK, &webhook_json(&hook)))
}

#[utoipa::path(
    patch, path = "/webhooks/{id}", tag = "Admin: webhooks",
    params(("id" = String, Path, description = "The endpoint id")),
    request_body(content((WebhookUpdate = "application/scim+json"), (WebhookUpdate = "application/json"))),
    responses((status = 200, description = "The changed endpoint", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn update(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<WebhookUpdate>,
) -> ApiResult<HttpResponse> {
    let id = webhook_id(&req)?;
    let status = input
        .status
        .map(|raw| {
            WebhookStatus::parse(&raw).ok_or_else(|| {
                DomainError::InvalidValue(format!("status: '{raw}' is not active or paused"))
            })
        })
        .transpose()?;
    let change = WebhookChange {
        url: input.url,
        events: input.events,
        format: format_of(input.format)?,
        variant: variant_of(input.variant)?,
        status,
    };
    let hook = admin
        .state
        .webhooks
        .update(&admin.ctx, &admin.tenant(&req)?, id, change)
        .await?;
    Ok(scim_response(StatusCode::OK, &webhook_json(&hook)))
}

#[utoipa::path(
    delete, path = "/webhooks/{id}", tag = "Admin: webhooks",
    params(("id" = String, Path, description = "The endpoint id")),
    responses((status = 200, description = "The deleted endpoint", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn delete(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let id = webhook_id(&req)?;
    let hook = admin
        .state
        .webhooks
        .delete(&admin.ctx, &admin.tenant(&req)?, id)
        .await?;
    Ok(scim_response(StatusCode::OK, &webhook_json(&hook)))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Rotation {
    /// How long the previous secret keeps signing beside the new one (default one day,
    /// at most seven).
    grace_seconds: Option<u64>,
}

#[utoipa::path(
    post, path = "/webhooks/{id}/rotate-secret", tag = "Admin: webhooks",
    params(("id" = String, Path, description = "The endpoint id")),
    request_body(content((Rotation = "application/scim+json"), (Rotation = "application/json"))),
    responses((status = 201, description = "The endpoint with its new secret (shown once)", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn rotate_secret(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<Rotation>,
) -> ApiResult<HttpResponse> {
    let id = webhook_id(&req)?;
    let grace = input
        .grace_seconds
        .map_or(DEFAULT_GRACE, Duration::from_secs);
    let rotated = admin
        .state
        .webhooks
        .rotate_secret(&admin.ctx, &admin.tenant(&req)?, id, grace)
        .await?;
    Ok(created_with_secret(
        webhook_json(&rotated.webhook),
        "secret",
        rotated.secret,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct LogParams {
    limit: Option<u64>,
}

#[utoipa::path(
    get, path = "/webhooks/{id}/deliveries", tag = "Admin: webhooks",
    params(("id" = String, Path, description = "The endpoint id"), LogParams),
    responses((status = 200, description = "The endpoint's delivery attempts, newest first", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn deliveries(req: HttpRequest, admin: AdminCaller) -> ApiResult<HttpResponse> {
    let id = webhook_id(&req)?;
    let params = web::Query::<LogParams>::from_query(req.query_string())
        .map_err(|err| DomainError::InvalidQuery(format!("invalid query: {err}")))?
        .into_inner();
    let attempts = admin
        .state
        .webhooks
        .deliveries(
            &admin.ctx,
            &admin.tenant(&req)?,
            id,
            params.limit.unwrap_or(100),
        )
        .await?;
    Ok(scim_response(
        StatusCode::OK,
        &json!({ "attempts": attempts }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Replay {
    /// One event to send again, by its sequence number; or else a time range:
    sequence: Option<i64>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

#[utoipa::path(
    post, path = "/webhooks/{id}/replay", tag = "Admin: webhooks",
    params(("id" = String, Path, description = "The endpoint id")),
    request_body(content((Replay = "application/scim+json"), (Replay = "application/json"))),
    responses((status = 202, description = "How many deliveries were queued", body = Object, content_type = "application/scim+json"))
)]
pub(crate) async fn replay(
    req: HttpRequest,
    admin: AdminCaller,
    AdminJson(input): AdminJson<Replay>,
) -> ApiResult<HttpResponse> {
    let id = webhook_id(&req)?;
    let range = match (input.sequence, input.since, input.until) {
        (Some(sequence), None, None) => ReplayRange::Sequence(sequence),
        (None, Some(since), Some(until)) => ReplayRange::Time { since, until },
        _ => {
            return Err(DomainError::InvalidValue(
                "name either sequence, or since and until".into(),
            )
            .into());
        }
    };
    let queued = admin
        .state
        .webhooks
        .replay(&admin.ctx, &admin.tenant(&req)?, id, range)
        .await?;
    Ok(scim_response(
        StatusCode::ACCEPTED,
        &json!({ "queued": queued }),
    ))
}
