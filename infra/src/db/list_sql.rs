//! The SQL of one list request, built once for `SqlResourceStore::list` and for anyone who
//! wants to see its plan (the bench, the query plan tests): a page select in listing order
//! and the select its `COUNT(*)` runs on.

use scimgate_domain::error::DomainResult;
use scimgate_domain::query::cursor::Direction;
use scimgate_domain::query::list::ListQuery;
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select};
use uuid::Uuid;

use super::entities::resources;
use super::filter_sql::FilterCompiler;
use super::sort_sql::SortPlan;

/// A list request as SQL.
pub struct ListStatements {
    /// Rows of the page in listing order; `None` when no row is asked for (`count=0`).
    pub page: Option<Select<resources::Entity>>,
    /// The matching rows, unordered and unpaged, for `COUNT(*)`.
    pub matching: Select<resources::Entity>,
    pub plan: SortPlan,
    pub offset: u64,
    pub limit: u64,
    pub backward: bool,
}

impl ListStatements {
    pub fn build(
        registry: &SchemaRegistry,
        backend: DbBackend,
        tenant: Uuid,
        kind: ResourceKind,
        query: &ListQuery,
    ) -> DomainResult<Self> {
        let mut select = resources::Entity::find()
            .filter(resources::Column::TenantId.eq(tenant))
            .filter(resources::Column::ResourceType.eq(kind.name()));
        // The caller's rows are the policy's filter, which sees every relation; the client's
        // filter sees only the relations inside them.
        if let Some(rows) = query.rows.of(kind) {
            let compiler = FilterCompiler {
                registry,
                kind,
                tenant,
                backend,
                within: None,
            };
            select = select.filter(compiler.condition(rows)?);
        }
        if let Some(filter) = &query.filter {
            let compiler = FilterCompiler {
                registry,
                kind,
                tenant,
                backend,
                within: Some(&query.rows),
            };
            select = select.filter(compiler.condition(filter)?);
        }
        let plan = SortPlan::new(registry, kind, tenant, query.sort.as_ref())?;
        let backward = matches!(&query.cursor, Some(c) if c.direction == Direction::Backward);
        let matching = select.clone();
        let (offset, limit) = match &query.cursor {
            Some(cursor) => {
                if let Some(position) = &cursor.position {
                    select = select.filter(plan.seek(position, cursor.direction)?);
                }
                // One row more than asked tells whether another page follows.
                (0, query.count + 1)
            }
            None => (query.offset(), query.count),
        };
        let page = (limit > 0).then(|| {
            plan.order(QueryTrait::query(&mut select), backward);
            select.offset(offset).limit(limit)
        });
        Ok(Self {
            page,
            matching,
            plan,
            offset,
            limit,
            backward,
        })
    }

    /// The statement `COUNT(*)` runs, as sea-orm's `PaginatorTrait::count` builds it.
    pub fn count_statement(&self) -> SelectStatement {
        Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(self.matching.clone().into_query(), Alias::new("sub_query"))
            .to_owned()
    }

    /// The total the page already tells, sparing the `COUNT(*)`: a page that starts at the
    /// first match and comes back short holds every match (an `eq` lookup is the common case),
    /// and an index page that comes back short, but not empty, ends the result set.
    pub fn known_total(&self, query: &ListQuery, fetched: u64) -> Option<u64> {
        if self.limit == 0 || fetched >= self.limit {
            return None;
        }
        match &query.cursor {
            Some(cursor) if cursor.position.is_none() => Some(fetched),
            Some(_) => None,
            None if self.offset == 0 || fetched > 0 => Some(self.offset + fetched),
            None => None,
        }
    }
}
