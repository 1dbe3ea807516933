//! `co` and `ew` through a trigram index (migration `m20261207_000021`), which a b-tree
//! cannot bound: `displayName co "son"` otherwise reads every resource of the tenant. `sw`
//! stays a b-tree range, which bounds a prefix and yields rows in order.
//!
//! - PostgreSQL: `col LIKE '%…%'` / `'%…'` on the very column the `gin_trgm_ops` index covers,
//!   with `%`, `_` and `\` of the literal escaped (backslash is LIKE's default escape). On a
//!   `COLLATE "C"` column that is the same byte comparison as `strpos`/`right`, so no re-check.
//! - SQLite: the rows an FTS5 `trigram` table finds for the literal as a phrase (case-folded,
//!   so a superset), joined by `rowid` with `CROSS JOIN` so the FTS table is read first (without
//!   statistics SQLite otherwise walks the tenant's index and probes the candidate list per row),
//!   and the exact comparison re-checked on each candidate.
//!
//! Both indexes need three characters to form one trigram: shorter literals keep the plain
//! comparison (a scan of the tenant's rows of that type or attribute). In an element filter
//! (`emails[type eq "work" and value co "x"]`) SQLite keeps the plain comparison too; the
//! PostgreSQL planner may use the index there.

use scimgate_domain::filter::CompareOp;
use sea_orm::sea_query::{Alias, BinOper, Expr, ExprTrait, JoinType, Query, SelectStatement};

use uuid::Uuid;

use crate::db::entities::resources;

/// Literals shorter than this (in characters) hold no trigram.
const MIN_CHARS: usize = 3;

/// Whether a trigram index can answer `op` with the (normalised) literal `text`.
pub(super) fn applies(op: CompareOp, text: &str) -> bool {
    matches!(op, CompareOp::Co | CompareOp::Ew) && text.chars().count() >= MIN_CHARS
}

/// PostgreSQL: `col LIKE pattern`, served by the column's `gin_trgm_ops` index.
pub(super) fn like(col: Expr, op: CompareOp, text: &str) -> Expr {
    let escaped = like_escape(text);
    col.like(if op == CompareOp::Co {
        format!("%{escaped}%")
    } else {
        format!("%{escaped}")
    })
}

/// The `resources` columns with a trigram index, named as in the FTS5 table.
pub(super) fn indexed_column(column: resources::Column) -> Option<&'static str> {
    match column {
        resources::Column::UserNameCi => Some("user_name_ci"),
        resources::Column::DisplayNameCi => Some("display_name_ci"),
        _ => None,
    }
}

/// SQLite: `SELECT r.id FROM resources_trgm CROSS JOIN resources r WHERE r.rowid =
/// resources_trgm.rowid AND resources_trgm MATCH '{column} : "text"' AND r.tenant_id = …
/// AND exact`: the tenant's resources whose `column` contains `text` by `exact`, a
/// condition on `r`.
pub(super) fn resource_candidates(
    tenant: Uuid,
    column: &str,
    text: &str,
    exact: Expr,
) -> SelectStatement {
    let row = Alias::new("r");
    let mut select = fts_join("resources_trgm", resources::Entity, &row, column, text);
    select
        .column((row.clone(), resources::Column::Id))
        .and_where(Expr::col((row, resources::Column::TenantId)).eq(tenant))
        .and_where(exact);
    select
}

/// SQLite: `SELECT … FROM resource_values_trgm CROSS JOIN resource_values v WHERE v.rowid = …
/// AND resource_values_trgm MATCH …`, to be completed with columns and conditions on `v`.
pub(super) fn value_candidates(row: &Alias, text: &str) -> SelectStatement {
    use crate::db::entities::resource_values;
    fts_join(
        "resource_values_trgm",
        resource_values::Entity,
        row,
        "value_norm",
        text,
    )
}

fn fts_join(
    fts: &'static str,
    table: impl sea_orm::sea_query::IntoTableRef,
    row: &Alias,
    column: &str,
    text: &str,
) -> SelectStatement {
    let fts = Alias::new(fts);
    let phrase = format!("{{{column}}} : \"{}\"", text.replace('"', "\"\""));
    let mut select = Query::select();
    select
        .from(fts.clone())
        .join_as(JoinType::CrossJoin, table, row.clone(), Expr::cust("1 = 1"))
        .and_where(
            Expr::col((row.clone(), Alias::new("rowid")))
                .eq(Expr::col((fts.clone(), Alias::new("rowid")))),
        )
        .and_where(Expr::col(fts).binary(BinOper::Custom("MATCH"), phrase));
    select
}

/// `text` as a LIKE pattern matching itself only (escape character `\`).
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn like_wildcards_and_the_escape_are_escaped() {
        assert_eq!(like_escape(r"50%_a\b"), r"50\%\_a\\b");
        assert_eq!(like_escape("süß"), "süß");
    }
}
