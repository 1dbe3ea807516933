//! SCIM list parameters from the query string. Names match case-insensitively, like every
//! SCIM name, and an undecodable query string is a 400, not a framework error page.

use actix_web::HttpRequest;
use scimgate_domain::query::list::ListParams;

use crate::error::{ApiError, ApiResult};

pub fn list_params(req: &HttpRequest) -> ApiResult<ListParams> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).map_err(|err| {
            ApiError::Domain(scimgate_domain::error::DomainError::InvalidQuery(format!(
                "the query string cannot be decoded: {err}"
            )))
        })?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    Ok(ListParams {
        start_index: get("startIndex"),
        count: get("count"),
        filter: get("filter"),
        sort_by: get("sortBy"),
        sort_order: get("sortOrder"),
        attributes: get("attributes"),
        excluded_attributes: get("excludedAttributes"),
        cursor: get("cursor"),
    })
}
