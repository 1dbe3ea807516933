//! The order a BulkRequest would run in, worked out without running anything. Public only so
//! that the fuzz targets (`fuzz/`) can drive the request parser and the planner, which are
//! private to the job; the service runs requests through `ResourceService::bulk`.

use serde_json::Value;

use super::order::plan;
use super::request::BulkRequest;
use crate::error::{DomainError, DomainResult};

pub use super::order::Step;

/// What `ResourceService::bulk` would decide about a request before running its operations.
#[derive(Debug)]
pub struct BulkPreview {
    /// Per operation, in request order: `Ok` when it is well-formed, else the error it fails with.
    pub operations: Vec<Result<(), DomainError>>,
    /// Per operation: the operations (POSTs) whose `bulkId` it references.
    pub dependencies: Vec<Vec<usize>>,
    /// The order the operations would run in.
    pub steps: Vec<Step>,
}

/// Parses `body` as the job does and plans its order; fails as the whole request would.
pub fn preview(body: &Value, max_operations: usize) -> DomainResult<BulkPreview> {
    let request = BulkRequest::parse(body, max_operations)?;
    let dependencies = request.dependencies();
    let steps = plan(&dependencies);
    Ok(BulkPreview {
        operations: request
            .operations
            .into_iter()
            .map(|op| op.call.map(|_| ()))
            .collect(),
        dependencies,
        steps,
    })
}
