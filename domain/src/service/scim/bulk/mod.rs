//! Bulk (RFC 7644 §3.7): many operations in one request. Each operation goes through the
//! same service method as its own request would (scopes, validation, `If-Match` from its
//! `version`), so each is atomic; the job as a whole is not. Independent creates share their
//! statements and commit (`create_batch`) without changing what any of them answers.

mod create_batch;
mod order;
pub mod preview;
mod request;
mod resolve;
mod run;

use serde_json::Value;

use self::create_batch::{CreateBatch, Prepared};
use self::order::{Step, plan};
use self::request::{BulkRequest, Call, Operation};
use self::resolve::BulkIds;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;
use crate::scope::Scope;
use crate::service::scim::audited_writes::WriteVerb;
use crate::service::scim::resources::ResourceService;

pub use self::request::BULK_REQUEST_SCHEMA;

/// Most `bulkId`s a circular-reference error lists.
const LISTED_BULK_IDS: usize = 10;

/// What a successful operation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Created,
    Updated,
    Deleted,
}

/// One operation's result, as the BulkResponse reports it.
#[derive(Debug)]
pub struct OperationOutcome {
    /// As the request named it (canonical upper case when known).
    pub method: Option<String>,
    pub bulk_id: Option<String>,
    /// The resource's URL, whenever its id is known.
    pub location: Option<String>,
    pub version: Option<i64>,
    pub result: Result<Done, DomainError>,
}

/// The operations that ran, in request order. After `failOnErrors` failures, or a storage
/// failure, the remaining operations neither run nor appear.
#[derive(Debug)]
pub struct BulkOutcome {
    pub operations: Vec<OperationOutcome>,
}

impl ResourceService {
    #[tracing::instrument(skip_all, fields(tenant = %ctx.principal.tenant_slug, operations))]
    pub async fn bulk(
        &self,
        ctx: &RequestContext,
        body: &Value,
        max_operations: usize,
    ) -> DomainResult<BulkOutcome> {
        // `/Bulk` itself needs `scim:bulk`; each operation then needs its own scopes.
        ctx.principal.require_scope(Scope::Bulk)?;
        let request = BulkRequest::parse(body, max_operations)?;
        let deps = request.dependencies();
        let BulkRequest {
            fail_on_errors,
            operations,
            definers,
        } = request;
        tracing::Span::current().record("operations", operations.len());
        let mut pending: Vec<Option<Operation>> = operations.into_iter().map(Some).collect();
        let mut progress = Progress::new(pending.len(), fail_on_errors);
        let mut ids = BulkIds::new(&definers);
        let mut batch = CreateBatch::default();
        'steps: for step in plan(&deps) {
            let independent = match &step {
                Step::Run(op) => pending[*op]
                    .as_ref()
                    .and_then(|o| o.call.as_ref().ok())
                    .is_some_and(Call::is_independent_create),
                Step::Circular(_) => false,
            };
            // What runs next must follow every failure it comes after, when one could stop
            // the job: the batch is settled first.
            if (!independent || progress.could_stop_within(batch.len()))
                && progress.record(self.settle(ctx, &mut batch, &mut ids).await)
            {
                break 'steps;
            }
            let outcomes = match step {
                Step::Run(op) if independent => {
                    let Some(Operation {
                        method,
                        bulk_id,
                        call: Ok(call),
                    }) = pending[op].take()
                    else {
                        continue;
                    };
                    let head = (op, method, bulk_id);
                    match self.prepare_independent(ctx, head, call, &mut batch).await {
                        Prepared::Batched if batch.is_full() => {
                            self.settle(ctx, &mut batch, &mut ids).await
                        }
                        Prepared::Batched => Vec::new(),
                        Prepared::Alone(op, method, bulk_id, prepared) => {
                            if progress.record(self.settle(ctx, &mut batch, &mut ids).await) {
                                break 'steps;
                            }
                            let outcome = self
                                .insert_alone(ctx, (method, bulk_id), &prepared, &mut ids)
                                .await;
                            vec![(op, outcome)]
                        }
                        Prepared::Refused(op, outcome) => {
                            if progress.could_stop_on(&outcome)
                                && progress.record(self.settle(ctx, &mut batch, &mut ids).await)
                            {
                                break 'steps;
                            }
                            vec![(op, outcome)]
                        }
                    }
                }
                Step::Run(op) => match pending[op].take() {
                    Some(operation) => vec![(op, self.run(ctx, operation, &mut ids).await)],
                    None => Vec::new(),
                },
                Step::Circular(cycle) => {
                    let outcomes = circular(&cycle, &mut pending);
                    for (_, outcome, intent) in &outcomes {
                        if let Err(err) = &outcome.result {
                            self.record_refused(ctx, *intent, None, err).await;
                        }
                    }
                    outcomes.into_iter().map(|(op, o, _)| (op, o)).collect()
                }
            };
            if progress.record(outcomes) {
                break 'steps;
            }
        }
        progress.record(self.settle(ctx, &mut batch, &mut ids).await);
        Ok(BulkOutcome {
            operations: progress.results.into_iter().flatten().collect(),
        })
    }
}

/// The outcomes so far, by operation, and whether the job must stop.
struct Progress {
    results: Vec<Option<OperationOutcome>>,
    failures: usize,
    fail_on_errors: Option<usize>,
}

impl Progress {
    fn new(operations: usize, fail_on_errors: Option<usize>) -> Self {
        Self {
            results: (0..operations).map(|_| None).collect(),
            failures: 0,
            fail_on_errors,
        }
    }

    /// Records outcomes in the order their operations took effect; `true` when the job
    /// stops: the database is unavailable, or `failOnErrors` failures are reached.
    fn record(&mut self, outcomes: Vec<(usize, OperationOutcome)>) -> bool {
        let mut stop = false;
        for (op, outcome) in outcomes {
            if let Err(err) = &outcome.result {
                self.failures += 1;
                stop |= matches!(err, DomainError::Unavailable(_))
                    || self
                        .fail_on_errors
                        .is_some_and(|limit| self.failures >= limit);
            }
            self.results[op] = Some(outcome);
        }
        stop
    }

    /// Whether `unsettled` more failures could reach `failOnErrors`.
    fn could_stop_within(&self, unsettled: usize) -> bool {
        self.fail_on_errors
            .is_some_and(|limit| self.failures + unsettled >= limit)
    }

    /// Whether `outcome` could stop the job, depending on what came before it.
    fn could_stop_on(&self, outcome: &OperationOutcome) -> bool {
        matches!(outcome.result, Err(DomainError::Unavailable(_))) || self.fail_on_errors.is_some()
    }
}

/// What a cycle's operation asked for, for the audit log.
type Intent = Option<(ResourceKind, WriteVerb)>;

/// The operations of a reference cycle fail without running (RFC 7644 §3.7.1 allows 409).
fn circular(
    cycle: &[usize],
    pending: &mut [Option<Operation>],
) -> Vec<(usize, OperationOutcome, Intent)> {
    let mut names: Vec<String> = cycle
        .iter()
        .filter_map(|&op| pending[op].as_ref()?.bulk_id.as_ref())
        .take(LISTED_BULK_IDS)
        .map(|bulk_id| format!("'{bulk_id}'"))
        .collect();
    if cycle.len() > LISTED_BULK_IDS {
        names.push(format!("and {} more", cycle.len() - LISTED_BULK_IDS));
    }
    let detail = format!(
        "circular bulkId references among {}: create the resources first, then link them",
        names.join(", ")
    );
    cycle
        .iter()
        .filter_map(|&op| {
            let operation = pending[op].take()?;
            let intent = operation.call.as_ref().ok().map(Call::intent);
            Some((
                op,
                OperationOutcome {
                    method: operation.method,
                    bulk_id: operation.bulk_id,
                    location: None,
                    version: None,
                    result: Err(DomainError::UnresolvedReference(detail.clone())),
                },
                intent,
            ))
        })
        .collect()
}
