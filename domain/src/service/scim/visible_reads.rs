//! Reads for a caller whose policy hides some related resources (`authz::visible_rows`): the
//! store decides the caller's rows and leaves out the hidden members or groups in its own
//! statements, and the read cache files this view apart from the stored form.

use uuid::Uuid;

use crate::authz::Grant;
use crate::context::RequestContext;
use crate::error::DomainResult;
use crate::resource::stored::StoredResource;
use crate::schema::kind::ResourceKind;
use crate::service::scim::resources::ResourceService;

impl ResourceService {
    /// The resource as `grant` lets the caller see it; `None` outside its rows. `cached`:
    /// the read cache may answer (GET of a single resource).
    pub(super) async fn load_visible(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: Uuid,
        grant: &Grant,
        cached: bool,
    ) -> DomainResult<Option<StoredResource>> {
        let tenant = ctx.principal.tenant_id;
        let read = || self.store.get_visible(tenant, kind, id, &grant.rows);
        match &self.reads {
            Some(reads) if cached => {
                // Keyed, so a cache reader learns nothing of the policy behind a view.
                let view = self.hasher.fingerprint(&grant.rows.canonical());
                reads.get_or_load_as(tenant, kind, id, &view, read).await
            }
            _ => read().await,
        }
    }

    /// A resource just written, with the relations the writer may see.
    pub(super) async fn read_back(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: Uuid,
        grant: &Grant,
    ) -> DomainResult<Option<StoredResource>> {
        if grant.rows.limits_relations_of(kind) {
            self.load_visible(ctx, kind, id, grant, false).await
        } else {
            self.store.get(ctx.principal.tenant_id, kind, id).await
        }
    }
}
