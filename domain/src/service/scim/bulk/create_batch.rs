//! Independent creates of a Bulk job (POSTs that reference no `bulkId`) are prepared one by
//! one, as their own requests would be, then inserted together (`insert_prepared`): each
//! create stays atomic on its own and answers as it would alone; only statements and the
//! commit are shared. Anything else the job runs first settles the batch, so operations still
//! take effect, fail and stop the job in request order.

use super::request::{Call, Method};
use super::resolve::BulkIds;
use super::{Done, OperationOutcome};
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::service::scim::prepared_create::PreparedCreate;
use crate::service::scim::resources::{ResourceService, ResourceView, ViewParams};

/// Most creates one transaction holds: enough to spread a commit over many creates, few
/// enough that other writers (SQLite has one at a time) wait a few milliseconds at most.
const BATCH_CREATES: usize = 256;

/// A prepared create waiting for its batch.
struct Waiting {
    op: usize,
    method: Option<String>,
    bulk_id: Option<String>,
    prepared: PreparedCreate,
}

#[derive(Default)]
pub(super) struct CreateBatch {
    waiting: Vec<Waiting>,
}

/// What preparing an independent create gave.
pub(super) enum Prepared {
    /// Joined the batch.
    Batched,
    /// Must be inserted on its own once the batch is settled (it names other resources).
    Alone(usize, Option<String>, Option<String>, Box<PreparedCreate>),
    /// Refused by its checks: nothing to insert.
    Refused(usize, OperationOutcome),
}

impl CreateBatch {
    pub(super) fn len(&self) -> usize {
        self.waiting.len()
    }

    pub(super) fn is_full(&self) -> bool {
        self.waiting.len() >= BATCH_CREATES
    }
}

impl Call {
    /// A POST without `bulkId` references: nothing it needs is created by the job.
    pub(super) fn is_independent_create(&self) -> bool {
        self.method == Method::Post && self.references().is_empty()
    }
}

impl ResourceService {
    /// Runs a create's checks; one that passes waits in `batch` when it can.
    pub(super) async fn prepare_independent(
        &self,
        ctx: &RequestContext,
        (op, method, bulk_id): (usize, Option<String>, Option<String>),
        call: Call,
        batch: &mut CreateBatch,
    ) -> Prepared {
        let result = self
            .prepare_create(ctx, call.kind, call.data, &ViewParams::default())
            .await;
        let prepared = self.audited_create_failure(ctx, call.kind, result).await;
        match prepared {
            Ok(prepared) if prepared.batchable() => {
                batch.waiting.push(Waiting {
                    op,
                    method,
                    bulk_id,
                    prepared,
                });
                Prepared::Batched
            }
            Ok(prepared) => Prepared::Alone(op, method, bulk_id, Box::new(prepared)),
            Err(err) => Prepared::Refused(op, failed(method, bulk_id, err)),
        }
    }

    /// Inserts a create that could not join a batch.
    pub(super) async fn insert_alone(
        &self,
        ctx: &RequestContext,
        (method, bulk_id): (Option<String>, Option<String>),
        prepared: &PreparedCreate,
        ids: &mut BulkIds<'_>,
    ) -> OperationOutcome {
        let result = self.insert_one(ctx, prepared).await;
        let result = self
            .audited_create_failure(ctx, prepared.kind(), result)
            .await;
        created(method, bulk_id, result, ids)
    }

    /// Inserts what waits in `batch`; the outcomes in request order. When the batch cannot
    /// be written as a whole, none of it was: an unavailable database fails its first
    /// operation (which stops the job) and the others never ran; any other error sends each
    /// create alone, so each gets its own answer.
    pub(super) async fn settle(
        &self,
        ctx: &RequestContext,
        batch: &mut CreateBatch,
        ids: &mut BulkIds<'_>,
    ) -> Vec<(usize, OperationOutcome)> {
        let waiting = std::mem::take(&mut batch.waiting);
        if waiting.is_empty() {
            return Vec::new();
        }
        let (heads, prepared): (Vec<_>, Vec<PreparedCreate>) = waiting
            .into_iter()
            .map(|w| ((w.op, w.method, w.bulk_id), w.prepared))
            .unzip();
        let results = match self.insert_prepared(ctx, &prepared).await {
            Ok(results) => results,
            Err(err @ DomainError::Unavailable(_)) => {
                let kind = prepared[0].kind();
                let result = self.audited_create_failure(ctx, kind, Err(err)).await;
                let Some((op, method, bulk_id)) = heads.into_iter().next() else {
                    return Vec::new();
                };
                return vec![(op, created(method, bulk_id, result, ids))];
            }
            Err(_) => {
                let mut alone = Vec::with_capacity(prepared.len());
                for prepared in &prepared {
                    let result = self.insert_one(ctx, prepared).await;
                    alone.push(
                        self.audited_create_failure(ctx, prepared.kind(), result)
                            .await,
                    );
                }
                alone
            }
        };
        heads
            .into_iter()
            .zip(results)
            .map(|((op, method, bulk_id), result)| (op, created(method, bulk_id, result, ids)))
            .collect()
    }
}

/// The outcome of a create, learning the id a successful one was given.
fn created(
    method: Option<String>,
    bulk_id: Option<String>,
    result: DomainResult<ResourceView>,
    ids: &mut BulkIds<'_>,
) -> OperationOutcome {
    match result {
        Ok(view) => {
            let version = Some(view.version);
            let location = Some(ids.created(bulk_id.as_deref(), view));
            OperationOutcome {
                method,
                bulk_id,
                location,
                version,
                result: Ok(Done::Created),
            }
        }
        Err(err) => failed(method, bulk_id, err),
    }
}

fn failed(method: Option<String>, bulk_id: Option<String>, err: DomainError) -> OperationOutcome {
    OperationOutcome {
        method,
        bulk_id,
        location: None,
        version: None,
        result: Err(err),
    }
}
