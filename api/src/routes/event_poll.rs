//! RFC 8936 poll delivery: `POST /t/{tenant}/events/poll[?variant=full|notice]` answers the
//! caller's unacknowledged change events as signed SETs (RFC 9967) and records its
//! acknowledgements. Errors are SCIM errors, like everything else the server answers.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::error::DomainError;
use scimgate_domain::event::Variant;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::scim_body::ScimBody;
use crate::extract::scim_caller::{ScimCaller, origin};
use crate::extract::state::State;
use crate::routes::fallback::method_not_allowed;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/t/{tenant}/events/poll")
            .route(web::post().to(poll))
            .default_service(web::to(method_not_allowed)),
    );
}

/// A receiver's error report for one SET (RFC 8936 §2.4.4); the SET counts as acknowledged.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct SetErr {
    /// An RFC 8935 error code, e.g. `invalid_key`.
    err: String,
    description: Option<String>,
}

/// The poll request (RFC 8936 §2.4).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct PollRequestBody {
    /// Most SETs to answer, 0 to 1000 (default 10); 0 only acknowledges.
    #[schema(rename = "maxEvents", minimum = 0, maximum = 1000)]
    max_events: Option<u64>,
    /// Answer at once even without events; false (the default) waits for events up to
    /// `SCIMGATE_EVENT_POLL_WAIT_SECS` (default 30 s).
    #[schema(rename = "returnImmediately")]
    return_immediately: Option<bool>,
    /// The jtis of SETs received and stored; they are not sent again.
    ack: Option<Vec<String>>,
    /// SETs the receiver could not process, by jti; acknowledged too (and logged).
    #[schema(rename = "setErrs")]
    set_errs: Option<HashMap<String, SetErr>>,
}

/// The poll answer (RFC 8936 §2.5).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct PollResponseBody {
    /// Compact SETs (`typ: secevent+jwt`, ES256) by their `jti`, the event id.
    sets: HashMap<String, String>,
    /// More unacknowledged events wait.
    #[schema(rename = "moreAvailable")]
    more_available: bool,
}

#[derive(Deserialize)]
struct PollParams {
    variant: Option<String>,
}

#[utoipa::path(
    post, path = "/t/{tenant}/events/poll", tag = "Events",
    params(
        ("tenant" = String, Path, description = "The tenant's slug"),
        ("variant" = Option<String>, Query, description = "`full` (default: create/put/patch events carry the resource as `data`) or `notice` (only the changed `attributes`)"),
    ),
    request_body(content((PollRequestBody = "application/json"), (PollRequestBody = "application/scim+json"))),
    responses((status = 200, description = "The caller's oldest unacknowledged change events as signed SETs",
        body = PollResponseBody, content_type = "application/json")),
    security(("bearer" = []))
)]
pub(crate) async fn poll(
    req: HttpRequest,
    state: State,
    caller: ScimCaller,
    ScimBody(body): ScimBody,
) -> ApiResult<HttpResponse> {
    let params = web::Query::<PollParams>::from_query(req.query_string())
        .map_err(|err| DomainError::InvalidQuery(format!("invalid query: {err}")))?
        .into_inner();
    let variant = match params.variant.as_deref() {
        Some(raw) => Variant::parse(raw)?,
        None => Variant::Full,
    };
    let origin = origin(&req, state.public_url.as_deref());
    let answer = state
        .event_poll
        .poll(&caller.0, &origin, variant, &body)
        .await?;
    Ok(HttpResponse::build(StatusCode::OK)
        .content_type("application/json")
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({
            "sets": Value::Object(answer.sets),
            "moreAvailable": answer.more_available,
        })))
}
