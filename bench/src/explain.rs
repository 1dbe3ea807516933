//! Query plans as evidence of index use: the page and count queries a filter becomes (built
//! by the server's own `ListStatements`, as `SqlResourceStore::list` runs them for a first
//! page of 100), explained by the database itself.

use anyhow::Context;
use scimgate_domain::query::list::{ListParams, ListQuery, PageLimits};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use scimgate_infra::db::DatabaseConnection;
use scimgate_infra::db::explain::explain;
use scimgate_infra::db::list_sql::ListStatements;
use sea_orm::QueryTrait;
use sea_orm::sea_query::SelectStatement;
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
) -> anyhow::Result<Vec<(&'static str, SelectStatement)>> {
    let registry = SchemaRegistry::standard();
    let kind = ResourceKind::User;
    let params = ListParams {
        filter: Some(filter.to_owned()),
        count: Some("100".into()),
        ..ListParams::default()
    };
    let limits = PageLimits {
        default_count: 100,
        max_results: 1000,
    };
    let query = ListQuery::from_params(&params, &registry, kind, limits)?;
    let sql = ListStatements::build(&registry, db.get_database_backend(), tenant.0, kind, &query)?;
    let mut out = Vec::new();
    if let Some(page) = &sql.page {
        out.push(("page", page.clone().into_query()));
    }
    out.push(("count", sql.count_statement()));
    Ok(out)
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
