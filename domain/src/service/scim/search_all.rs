//! `POST /.search` at the SCIM root: Users, then Groups, paged as one sequence.

use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::query::list::{ListParams, ListQuery};
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;
use crate::scope::Access;
use crate::service::scim::resources::{ListView, ResourceService, ViewParams};

impl ResourceService {
    /// A kind whose schemas do not know the filter's attributes contributes nothing; a filter
    /// no kind knows is an `invalidFilter`. Sorting applies within each kind. Kinds the
    /// principal may not read are left out.
    pub async fn list_all(
        &self,
        ctx: &RequestContext,
        params: &ListParams,
    ) -> DomainResult<ListView> {
        let mut queries = Vec::new();
        let mut last_error = None;
        for kind in ResourceKind::ALL {
            if !ctx.principal.may(kind, Access::Read) {
                continue;
            }
            let grant = self.authorize(ctx, kind, Access::Read)?;
            let projection = self.projection(kind, &ViewParams::of(params))?;
            match ListQuery::from_params(params, &self.registry, kind, self.limits) {
                Ok(mut query) => {
                    grant.restrict_query(&mut query)?;
                    query.with_relations =
                        projection.includes(Relation::of(kind).attribute(), &self.registry, kind);
                    queries.push((kind, query, projection, grant));
                }
                Err(err @ DomainError::InvalidFilter(_)) => last_error = Some(err),
                Err(err) => return Err(err),
            }
        }
        if params.cursor.is_some() {
            return Err(DomainError::InvalidQuery(
                "cursor paging is offered per resource type, not on the root .search".into(),
            ));
        }
        let Some((_, first, _, _)) = queries.first() else {
            return Err(last_error.unwrap_or_else(|| {
                DomainError::Forbidden(
                    "the token's scopes do not allow reading any resources".into(),
                )
            }));
        };
        let (start_index, mut skip, mut wanted) = (first.start_index, first.offset(), first.count);
        let mut total = 0;
        let mut resources = Vec::new();
        for (kind, query, projection, grant) in queries {
            let counting = ListQuery {
                start_index: 1,
                count: 0,
                ..query.clone()
            };
            let matches = self
                .store
                .list(ctx.principal.tenant_id, kind, &counting)
                .await?
                .total;
            total += matches;
            if wanted > 0 && skip < matches {
                let slice = ListQuery {
                    start_index: skip + 1,
                    count: wanted,
                    ..query
                };
                let page = self
                    .store
                    .list(ctx.principal.tenant_id, kind, &slice)
                    .await?;
                wanted = wanted.saturating_sub(page.resources.len() as u64);
                resources.extend(
                    page.resources
                        .iter()
                        .map(|r| self.shaped(r, &ctx.base_url, &projection, &grant)),
                );
                skip = 0;
            } else {
                skip -= skip.min(matches);
            }
        }
        Ok(ListView {
            total_results: total,
            start_index: Some(start_index),
            resources,
            next_cursor: None,
            previous_cursor: None,
        })
    }
}
