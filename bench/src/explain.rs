//! Query plans as evidence of index use: the list query a filter becomes (built with the
//! server's own filter compiler, in the shape `SqlResourceStore::list` runs for an unsorted
//! first page) and its count, explained by the database itself.

use anyhow::Context;
use scimgate_domain::filter::{parse, resolve};
use scimgate_domain::resource::kind::ResourceKind;
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::tenant::TenantId;
use scimgate_infra::db::DatabaseConnection;
use scimgate_infra::db::entities::resources;
use scimgate_infra::db::filter_sql::FilterCompiler;
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use serde::Serialize;

/// One explained query.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub filter: String,
    pub query: String,
    pub sql: String,
    pub plan: Vec<String>,
}

/// The page query of `filter` (first 100, creation order) and its `COUNT(*)`.
fn statements(
    db: &DatabaseConnection,
    tenant: TenantId,
    filter: &str,
) -> anyhow::Result<[(&'static str, SelectStatement); 2]> {
    let registry = SchemaRegistry::standard();
    let kind = ResourceKind::User;
    let resolved = resolve(parse(filter)?, &registry, kind)?;
    let compiler = FilterCompiler {
        registry: &registry,
        kind,
        tenant: tenant.0,
        backend: db.get_database_backend(),
    };
    let select = resources::Entity::find()
        .filter(resources::Column::TenantId.eq(tenant.0))
        .filter(resources::Column::ResourceType.eq(kind.name()))
        .filter(compiler.condition(&resolved)?);
    let count = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(select.clone().into_query(), Alias::new("sub_query"))
        .to_owned();
    let page = select
        .order_by(resources::Column::Id, Order::Asc)
        .limit(100)
        .into_query();
    Ok([("page", page), ("count", count)])
}

async fn explain(db: &DatabaseConnection, select: &SelectStatement) -> anyhow::Result<Vec<String>> {
    let backend = db.get_database_backend();
    let mut statement = backend.build(select);
    let sql = statement.sql.clone();
    statement.sql = match backend {
        DbBackend::Postgres => format!("EXPLAIN {sql}"),
        _ => format!("EXPLAIN QUERY PLAN {sql}"),
    };
    let rows = db.query_all_raw(statement).await?;
    let mut lines = Vec::new();
    // SQLite: (id, parent, notused, detail) rows forming a tree; PostgreSQL: one text column.
    let mut depth_of: Vec<(i64, usize)> = Vec::new();
    for row in rows {
        if backend == DbBackend::Postgres {
            lines.push(row.try_get_by_index::<String>(0)?);
            continue;
        }
        let id: i64 = row.try_get_by_index(0)?;
        let parent: i64 = row.try_get_by_index(1)?;
        let detail: String = row.try_get_by_index(3)?;
        let depth = depth_of
            .iter()
            .find(|(node, _)| *node == parent)
            .map_or(0, |(_, d)| d + 1);
        depth_of.push((id, depth));
        lines.push(format!("{}{detail}", "  ".repeat(depth)));
    }
    Ok(lines)
}

/// Explains the page and count queries of every filter.
pub async fn plans(
    db: &DatabaseConnection,
    tenant: TenantId,
    filters: &[(String, String)],
) -> anyhow::Result<Vec<Plan>> {
    let mut out = Vec::new();
    for (name, filter) in filters {
        for (query, select) in statements(db, tenant, filter)? {
            let sql = db.get_database_backend().build(&select).sql;
            let plan = explain(db, &select)
                .await
                .with_context(|| format!("explaining {name}"))?;
            out.push(Plan {
                filter: filter.clone(),
                query: format!("{name} ({query})"),
                sql,
                plan,
            });
        }
    }
    Ok(out)
}
