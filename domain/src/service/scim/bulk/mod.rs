//! Bulk (RFC 7644 §3.7): many operations in one request. Each operation goes through the
//! same service method as its own request would (scopes, validation, `If-Match` from its
//! `version`), so each is atomic; the job as a whole is not.

mod order;
pub mod preview;
mod request;
mod resolve;

use serde_json::Value;

use self::order::{Step, plan};
use self::request::{BulkRequest, Call, Method, Operation};
use self::resolve::BulkIds;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::resource::render::location;
use crate::schema::kind::ResourceKind;
use crate::scope::Scope;
use crate::service::scim::audited_writes::WriteVerb;
use crate::service::scim::patch_resource::{PatchRequest, Patched};
use crate::service::scim::resources::{ResourceService, ResourceView, ViewParams};

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
        let mut results: Vec<Option<OperationOutcome>> = pending.iter().map(|_| None).collect();
        let mut ids = BulkIds::new(&definers);
        let mut failures = 0;
        'steps: for step in plan(&deps) {
            let outcomes = match step {
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
            for (op, outcome) in outcomes {
                let stop = match &outcome.result {
                    Ok(_) => false,
                    Err(err) => {
                        failures += 1;
                        matches!(err, DomainError::Unavailable(_))
                            || fail_on_errors.is_some_and(|limit| failures >= limit)
                    }
                };
                results[op] = Some(outcome);
                if stop {
                    break 'steps;
                }
            }
        }
        Ok(BulkOutcome {
            operations: results.into_iter().flatten().collect(),
        })
    }

    async fn run(
        &self,
        ctx: &RequestContext,
        operation: Operation,
        ids: &mut BulkIds<'_>,
    ) -> OperationOutcome {
        let Operation {
            method,
            bulk_id,
            call,
        } = operation;
        let mut url = None;
        let mut version = None;
        let intent = call.as_ref().ok().map(Call::intent);
        let call = call.and_then(|mut call| ids.substitute(&mut call).map(|()| call));
        let result = match call {
            Ok(call) => {
                url = call
                    .id
                    .as_deref()
                    .map(|id| location(&ctx.base_url, call.kind, id));
                self.execute(ctx, call).await.map(|success| {
                    version = success.version;
                    if let Some(view) = success.created {
                        if let (Some(bulk_id), Some(id)) = (&bulk_id, view.body.get("id"))
                            && let Some(id) = id.as_str()
                        {
                            ids.record(bulk_id, id.to_owned());
                        }
                        url = Some(view.location);
                    }
                    success.done
                })
            }
            Err(err) => {
                // It never reached a write use case, which would have recorded it.
                self.record_refused(ctx, intent, None, &err).await;
                Err(err)
            }
        };
        OperationOutcome {
            method,
            bulk_id,
            location: url,
            version,
            result,
        }
    }

    /// Calls the service method the operation names.
    async fn execute(&self, ctx: &RequestContext, call: Call) -> DomainResult<Success> {
        let shape = ViewParams::default();
        let id = call.id.as_deref().unwrap_or_default();
        let if_match = call.version.as_deref();
        let updated = |version| Success {
            done: Done::Updated,
            version: Some(version),
            created: None,
        };
        Ok(match call.method {
            Method::Post => {
                let view = self.create(ctx, call.kind, call.data, &shape).await?;
                Success {
                    done: Done::Created,
                    version: Some(view.version),
                    created: Some(view),
                }
            }
            Method::Put => updated(
                self.replace(ctx, call.kind, id, call.data, if_match, &shape)
                    .await?
                    .version,
            ),
            Method::Patch => updated(
                match self
                    .patch(
                        ctx,
                        PatchRequest {
                            kind: call.kind,
                            id,
                            body: &call.data,
                            if_match,
                            view: &shape,
                            representation: false,
                        },
                    )
                    .await?
                {
                    Patched::Version(version) => version,
                    Patched::Representation(view) => view.version,
                },
            ),
            Method::Delete => {
                self.delete(ctx, call.kind, id, if_match).await?;
                Success {
                    done: Done::Deleted,
                    version: None,
                    created: None,
                }
            }
        })
    }
}

/// A successful operation: what it did, the new version, and what a POST created.
struct Success {
    done: Done,
    version: Option<i64>,
    created: Option<ResourceView>,
}

impl Call {
    /// What the operation asks for, as the audit log names it.
    fn intent(&self) -> (ResourceKind, WriteVerb) {
        let verb = match self.method {
            Method::Post => WriteVerb::Create,
            Method::Put => WriteVerb::Replace,
            Method::Patch => WriteVerb::Patch,
            Method::Delete => WriteVerb::Delete,
        };
        (self.kind, verb)
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
