//! The rows a caller may see (`VisibleRows`) as SQL, where they bound relations: a condition
//! on a `resources` row, the same condition on the resource a column names (a membership
//! row's member or group), and the groups among some ids the caller may see. The policy's
//! filters compile as listings compile them, seeing every relation themselves, so whether a
//! resource is visible does not depend on who looks at it.

use std::collections::HashSet;

use scimgate_domain::authz::VisibleRows;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbBackend};
use uuid::Uuid;

use super::entities::resources;
use super::filter_sql::FilterCompiler;

/// Ids per statement: well under both databases' bind-parameter limits.
const CHUNK: usize = 1000;

/// One caller's rows in one tenant, on one database.
#[derive(Clone, Copy)]
pub struct VisibleSql<'a> {
    pub registry: &'a SchemaRegistry,
    pub backend: DbBackend,
    pub tenant: Uuid,
    pub rows: &'a VisibleRows,
}

impl VisibleSql<'_> {
    /// An unaliased `resources` row is one of `kinds` inside the rows; `None` when every
    /// row of those kinds is.
    pub fn row_condition(&self, kinds: &[ResourceKind]) -> DomainResult<Option<Expr>> {
        if kinds.iter().all(|kind| self.rows.of(*kind).is_none()) {
            return Ok(None);
        }
        let mut any: Option<Expr> = None;
        for &kind in kinds {
            let typed =
                Expr::col((resources::Entity, resources::Column::ResourceType)).eq(kind.name());
            let branch = match self.rows.of(kind) {
                Some(filter) => typed.and(self.policy_compiler(kind).condition(filter)?),
                None => typed,
            };
            any = Some(match any {
                Some(other) => other.or(branch),
                None => branch,
            });
        }
        Ok(any)
    }

    /// The resource `id` names (a column of the enclosing statement, or a value) is one of
    /// `kinds` inside the rows; `None` when every row of those kinds is. Its own `resources`
    /// scope hides any enclosing one, so the policy's conditions read the named resource.
    pub fn names_visible(&self, id: Expr, kinds: &[ResourceKind]) -> DomainResult<Option<Expr>> {
        let Some(condition) = self.row_condition(kinds)? else {
            return Ok(None);
        };
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from(resources::Entity)
            .and_where(Expr::col((resources::Entity, resources::Column::TenantId)).eq(self.tenant))
            .and_where(Expr::col((resources::Entity, resources::Column::Id)).eq(id))
            .and_where(condition);
        Ok(Some(Expr::exists(select)))
    }

    /// The ids of resources of `kind` inside the rows among `ids` (all of them when the
    /// rows do not restrict `kind`).
    pub async fn visible_among(
        &self,
        db: &impl ConnectionTrait,
        kind: ResourceKind,
        ids: &[Uuid],
    ) -> DomainResult<HashSet<Uuid>> {
        let Some(condition) = self.row_condition(&[kind])? else {
            return Ok(ids.iter().copied().collect());
        };
        let mut visible = HashSet::new();
        for chunk in ids.chunks(CHUNK) {
            let select = Query::select()
                .column((resources::Entity, resources::Column::Id))
                .from(resources::Entity)
                .and_where(
                    Expr::col((resources::Entity, resources::Column::TenantId)).eq(self.tenant),
                )
                .and_where(
                    Expr::col((resources::Entity, resources::Column::Id))
                        .is_in(chunk.iter().copied()),
                )
                .and_where(condition.clone())
                .to_owned();
            for row in db
                .query_all(&select)
                .await
                .map_err(DomainError::unavailable)?
            {
                visible.insert(row.try_get("", "id").map_err(DomainError::unavailable)?);
            }
        }
        Ok(visible)
    }

    /// Compiles a policy's own filter on `kind`: it sees every relation.
    fn policy_compiler(&self, kind: ResourceKind) -> FilterCompiler<'_> {
        FilterCompiler {
            registry: self.registry,
            kind,
            tenant: self.tenant,
            backend: self.backend,
            within: None,
        }
    }
}
