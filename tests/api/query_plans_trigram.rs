//! Substring (`co`) and suffix (`ew`) searches reach rows through a trigram index, as each
//! planner reports it: PostgreSQL a `pg_trgm` GIN index bitmap scan on the compared column
//! (sequential scans off, as in `query_plans`), SQLite its FTS5 `trigram` table matched first
//! and the resource or value row then read by `rowid`. Prefix searches (`sw`) stay b-tree
//! ranges, shown in `query_plans`.

use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::DbBackend;

use crate::query_plans::{plans, populated_tenant, populated_tenant_of};

/// The trigram index of a column: PostgreSQL's GIN index, SQLite's FTS5 table and the
/// alias the row it points at is read under.
#[derive(Clone, Copy)]
struct TrigramIndex {
    gin: &'static str,
    fts: &'static str,
    row: &'static str,
}

const USER_NAME: TrigramIndex = TrigramIndex {
    gin: "ix_resources_user_name_trgm",
    fts: "resources_trgm",
    row: "r",
};
const DISPLAY_NAME: TrigramIndex = TrigramIndex {
    gin: "ix_resources_display_name_trgm",
    fts: "resources_trgm",
    row: "r",
};
const VALUES: TrigramIndex = TrigramIndex {
    gin: "ix_resource_values_norm_trgm",
    fts: "resource_values_trgm",
    row: "v",
};

/// Whether the plan finds its rows through `index`: on PostgreSQL an index scan of the GIN
/// index with a `LIKE` (`~~`) condition; on SQLite a MATCH on the FTS5 table plus the row
/// looked up by its rowid, and the resources sought by id.
fn uses_trigram(backend: DbBackend, plan: &[String], index: TrigramIndex) -> bool {
    match backend {
        DbBackend::Postgres => plan.iter().enumerate().any(|(at, line)| {
            line.contains(&format!("Index Scan on {}", index.gin))
                && plan[at + 1..]
                    .iter()
                    .take_while(|l| !l.contains("->"))
                    .any(|l| l.contains("Index Cond") && l.contains("~~"))
        }),
        _ => {
            let matched = plan
                .iter()
                .any(|l| l.contains(&format!("SCAN {} VIRTUAL TABLE INDEX", index.fts)));
            let by_rowid = plan.iter().any(|l| {
                l.contains(&format!(
                    "SEARCH {} USING INTEGER PRIMARY KEY (rowid=?)",
                    index.row
                ))
            });
            // …and the resources then sought by id, not walked.
            let sought = plan
                .iter()
                .any(|l| l.starts_with("SEARCH resources USING") && l.contains(" id=?)"));
            matched && by_rowid && sought
        }
    }
}

#[tokio::test]
async fn substring_and_suffix_searches_use_a_trigram_index() {
    let app = crate::helpers::spawn_app().await;
    let backend = app.db.get_database_backend();
    // PostgreSQL weighs a GIN index against walking the tenant by cost: with 3 000 users
    // walking them is cheaper. SQLite, without statistics, plans the same at any size.
    let users = if backend == DbBackend::Postgres {
        30_000
    } else {
        3000
    };
    let tenant = populated_tenant_of(&app, users).await;
    let user = ResourceKind::User;
    // Selective literals: for one matching a few percent of the users, PostgreSQL rightly
    // walks the page in id order instead (the count still uses the index).
    let cases = [
        (r#"userName co "r1234""#, USER_NAME),
        (r#"userName ew "99@example.com""#, USER_NAME),
        (r#"displayName co "ER 1234""#, DISPLAY_NAME),
        (r#"displayName ew "r 999""#, DISPLAY_NAME),
        (r#"emails.value co "r12@""#, VALUES),
        (r#"emails[value ew "77@example.com"]"#, VALUES),
        (r#"name.familyName co "ily12""#, VALUES),
        (r#"name.familyName ew "ly999""#, VALUES),
    ];
    for (filter, index) in cases {
        for plan in plans(&app, tenant, user, filter).await {
            assert!(
                uses_trigram(backend, &plan, index),
                "{filter}: no trigram lookup through {} / {} in\n{}",
                index.gin,
                index.fts,
                plan.join("\n")
            );
        }
    }
}

#[tokio::test]
async fn a_literal_too_short_for_a_trigram_is_not_reported_as_one() {
    // The check above must be able to fail: two characters hold no trigram, so `co "12"`
    // keeps the plain comparison.
    let app = crate::helpers::spawn_app().await;
    let backend = app.db.get_database_backend();
    let tenant = populated_tenant(&app).await;
    for plan in plans(&app, tenant, ResourceKind::User, r#"userName co "12""#).await {
        assert!(
            !uses_trigram(backend, &plan, USER_NAME),
            "{}",
            plan.join("\n")
        );
    }
}
