//! The events API: `GET /t/{tenant}/events?after=&limit=&types=&resourceType=&variant=`, a
//! tenant's change events in sequence order for consumers that poll. Errors are SCIM errors,
//! like everything else the server answers.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use scimgate_domain::error::DomainError;
use scimgate_domain::service::events::EventListParams;
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiResult;
use crate::extract::scim_caller::ScimCaller;
use crate::extract::state::State;
use crate::routes::fallback::method_not_allowed;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/t/{tenant}/events")
            .route(web::get().to(list))
            .default_service(web::to(method_not_allowed)),
    );
}

/// A page of events; `nextCursor` is where the next request continues (`after=`), also when
/// the page is empty.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventsPage {
    events: Vec<Value>,
    next_cursor: String,
    has_more: bool,
}

#[utoipa::path(
    get, path = "/t/{tenant}/events", tag = "Events",
    params(
        ("tenant" = String, Path, description = "The tenant's slug"),
        ("after" = Option<String>, Query, description = "Cursor: the sequence number of the last event seen (`nextCursor` of the previous page); absent: from the oldest event kept"),
        ("limit" = Option<u64>, Query, description = "Events per page, 0 to 1000 (default 100); 0 answers only `nextCursor`, the tenant's latest event"),
        ("types" = Option<String>, Query, description = "Comma-separated event types, e.g. `user.created,group.updated`"),
        ("resourceType" = Option<String>, Query, description = "`User` or `Group`"),
        ("variant" = Option<String>, Query, description = "`full` (default: resource data and previous values) or `notice` (only the changed attribute names)"),
    ),
    responses((status = 200, description = "A page of the tenant's change events in sequence order",
        body = EventsPage, content_type = "application/json")),
    security(("bearer" = []))
)]
pub(crate) async fn list(
    req: HttpRequest,
    state: State,
    caller: ScimCaller,
) -> ApiResult<HttpResponse> {
    let params = web::Query::<EventListParams>::from_query(req.query_string())
        .map_err(|err| DomainError::InvalidQuery(format!("invalid query: {err}")))?
        .into_inner();
    let page = state.events.list(&caller.0, &params).await?;
    let body = EventsPage {
        events: page.events,
        next_cursor: page.next_cursor,
        has_more: page.has_more,
    };
    Ok(HttpResponse::build(StatusCode::OK)
        .content_type("application/json")
        .json(body))
}
