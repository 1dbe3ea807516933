//! A statement's query plan as the database itself describes it, one line per plan node
//! (indented by depth on SQLite): evidence that a lookup uses an index.

use sea_orm::sea_query::SelectStatement;
use sea_orm::{ConnectionTrait, DbBackend, DbErr};

/// On PostgreSQL, run it in a transaction that `SET LOCAL enable_seqscan = off` to learn whether
/// an index *can* serve a query on a table too small for the planner to prefer one.
pub async fn explain(
    db: &impl ConnectionTrait,
    select: &SelectStatement,
) -> Result<Vec<String>, DbErr> {
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
