//! One Bulk operation run on its own, through the same service method its own request
//! would call.

use super::request::{Call, Method, Operation};
use super::resolve::BulkIds;
use super::{Done, OperationOutcome};
use crate::context::RequestContext;
use crate::error::DomainResult;
use crate::resource::render::location;
use crate::schema::kind::ResourceKind;
use crate::service::scim::audited_writes::WriteVerb;
use crate::service::scim::patch_resource::{PatchRequest, Patched};
use crate::service::scim::resources::{ResourceService, ResourceView, ViewParams};

impl ResourceService {
    pub(super) async fn run(
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
                        url = Some(ids.created(bulk_id.as_deref(), view));
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
    pub(super) fn intent(&self) -> (ResourceKind, WriteVerb) {
        let verb = match self.method {
            Method::Post => WriteVerb::Create,
            Method::Put => WriteVerb::Replace,
            Method::Patch => WriteVerb::Patch,
            Method::Delete => WriteVerb::Delete,
        };
        (self.kind, verb)
    }
}
