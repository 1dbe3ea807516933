//! Substring (`co`) and suffix (`ew`) searches reach rows through a trigram index on
//! PostgreSQL, as its planner reports it: a `pg_trgm` GIN index bitmap scan on the compared
//! column (sequential scans off, as in `query_plans`). SQLite has no trigram index yet (see
//! `infra/src/db/filter_sql/substring.rs`); prefix searches (`sw`) stay b-tree ranges, shown
//! in `query_plans`.

use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::DbBackend;

use crate::query_plans::{plans, populated_tenant, populated_tenant_of};

/// The GIN trigram index of a column.
#[derive(Clone, Copy)]
struct TrigramIndex {
    gin: &'static str,
}

const USER_NAME: TrigramIndex = TrigramIndex {
    gin: "ix_resources_user_name_trgm",
};
const DISPLAY_NAME: TrigramIndex = TrigramIndex {
    gin: "ix_resources_display_name_trgm",
};
const VALUES: TrigramIndex = TrigramIndex {
    gin: "ix_resource_values_norm_trgm",
};

/// Whether the plan finds its rows through `index`: an index scan of the GIN index with a
/// `LIKE` (`~~`) condition.
fn uses_trigram(plan: &[String], index: TrigramIndex) -> bool {
    plan.iter().enumerate().any(|(at, line)| {
        line.contains(&format!("Index Scan on {}", index.gin))
            && plan[at + 1..]
                .iter()
                .take_while(|l| !l.contains("->"))
                .any(|l| l.contains("Index Cond") && l.contains("~~"))
    })
}

#[tokio::test]
async fn substring_and_suffix_searches_use_a_trigram_index() {
    let app = crate::helpers::spawn_app().await;
    if app.db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    // PostgreSQL weighs a GIN index against walking the tenant by cost: with 3 000 users
    // walking them is cheaper.
    let tenant = populated_tenant_of(&app, 30_000).await;
    let user = ResourceKind::User;
    // Selective literals, each matching at most three users: for one matching a few percent
    // of them, PostgreSQL rightly walks the page in id order instead (the count still uses
    // the index), and whether it guesses "a few percent" depends on which rows ANALYZE
    // sampled into its histogram (`ew "99@example.com"` matches 1 % and flipped plans).
    let cases = [
        (r#"userName co "r12345""#, USER_NAME),
        (r#"userName ew "9999@example.com""#, USER_NAME),
        (r#"displayName co "ER 12345""#, DISPLAY_NAME),
        (r#"displayName ew "r 9999""#, DISPLAY_NAME),
        (r#"emails.value co "r12345@""#, VALUES),
        (r#"emails[value ew "7777@example.com"]"#, VALUES),
        (r#"name.familyName co "ily12345""#, VALUES),
        (r#"name.familyName ew "ly9999""#, VALUES),
    ];
    for (filter, index) in cases {
        for plan in plans(&app, tenant, user, filter).await {
            assert!(
                uses_trigram(&plan, index),
                "{filter}: no trigram lookup through {} in\n{}",
                index.gin,
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
    if app.db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let tenant = populated_tenant(&app).await;
    for plan in plans(&app, tenant, ResourceKind::User, r#"userName co "12""#).await {
        assert!(!uses_trigram(&plan, USER_NAME), "{}", plan.join("\n"));
    }
}
