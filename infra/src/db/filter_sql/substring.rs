//! `co` and `ew` through a trigram index (migration `m20261207_000021`), which a b-tree
//! cannot bound: `userName co "x"` otherwise reads every resource of the tenant. `sw` stays a
//! b-tree range, which bounds a prefix and yields rows in order.
//!
//! PostgreSQL only: `col LIKE '%…%'` / `'%…'` on the very column a `pg_trgm` `gin_trgm_ops`
//! index covers, with `%`, `_` and `\` of the literal escaped (backslash is LIKE's default
//! escape). On a `COLLATE "C"` column that is the same byte comparison as `strpos`/`right`.
//! The planner weighs the index by cost: it takes it for selective literals and keeps walking
//! the tenant's b-tree when many rows match. A trigram needs three characters, so shorter
//! literals keep the plain comparison. SQLite keeps the plain comparison: an FTS5 trigram
//! table kept by triggers made concurrent creates fail with `SQLITE_BUSY` (branch
//! `trigram-sqlite-fts`).

use scimgate_domain::filter::CompareOp;
use sea_orm::sea_query::{Expr, ExprTrait};

use crate::db::entities::resources;

/// Literals shorter than this (in characters) hold no trigram.
const MIN_CHARS: usize = 3;

/// Whether a trigram index can answer `op` with the (normalised) literal `text`.
pub(super) fn applies(op: CompareOp, text: &str) -> bool {
    matches!(op, CompareOp::Co | CompareOp::Ew) && text.chars().count() >= MIN_CHARS
}

/// `col LIKE pattern`, served by the column's `gin_trgm_ops` index.
pub(super) fn like(col: Expr, op: CompareOp, text: &str) -> Expr {
    let escaped = like_escape(text);
    col.like(if op == CompareOp::Co {
        format!("%{escaped}%")
    } else {
        format!("%{escaped}")
    })
}

/// Whether the `resources` column has a trigram index.
pub(super) fn has_trigram_index(column: resources::Column) -> bool {
    matches!(
        column,
        resources::Column::UserNameCi | resources::Column::DisplayNameCi
    )
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
