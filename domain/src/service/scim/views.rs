//! What the SCIM use cases hand back to be rendered: one resource with its version, a page,
//! and the `attributes` / `excludedAttributes` that shape them.

use serde_json::Value;

use crate::query::list::ListParams;

/// A rendered resource and its version, for the body and the `ETag` header.
pub struct ResourceView {
    pub body: Value,
    pub version: i64,
    pub location: String,
}

/// `attributes` / `excludedAttributes` of a request that returns resources.
#[derive(Debug, Default, Clone)]
pub struct ViewParams {
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
}

impl ViewParams {
    pub fn of(params: &ListParams) -> Self {
        Self {
            attributes: params.attributes.clone(),
            excluded_attributes: params.excluded_attributes.clone(),
        }
    }
}

/// A rendered page (RFC 7644 §3.4.2 ListResponse fields).
pub struct ListView {
    pub total_results: u64,
    /// Index paging only.
    pub start_index: Option<u64>,
    pub resources: Vec<Value>,
    /// Cursor paging only (RFC 9865).
    pub next_cursor: Option<String>,
    pub previous_cursor: Option<String>,
}
