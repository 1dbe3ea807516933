//! Index use, as each database's own planner reports it: the lookups an IdP makes before
//! every create (`userName`, `externalId`, `emails.value`, `id`, `displayName`) and prefix
//! searches are answered from an index, never by walking the tenant's resources. The SQL is
//! the exact page and count statements `SqlResourceStore::list` runs. On PostgreSQL
//! sequential scans are switched off for the EXPLAIN, so a plan without one proves an index
//! can serve the query even on a table too small for the planner to prefer it.

use chrono::Utc;
use scimgate_domain::query::list::{ListParams, ListQuery, PageLimits};
use scimgate_domain::resource::canonical::canonicalize;
use scimgate_domain::resource::searchable::searchable_values;
use scimgate_domain::resource::stored::{IndexedValues, ResourceWrite};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use scimgate_infra::db::entities::tenants;
use scimgate_infra::db::explain::explain;
use scimgate_infra::db::list_sql::ListStatements;
use scimgate_infra::db::seed::bulk_insert_users;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{USER_SCHEMA, spawn_app};

const NORM: &str = "ix_resource_values_norm";
const USER_NAME: &str = "ux_resources_user_name";
const EXTERNAL_ID: &str = "ix_resources_external_id_id";
const DISPLAY_NAME: &str = "ix_resources_display_name_id";
/// The primary key and `(tenant_id, resource_type, id)` both serve an `id` lookup.
const ANY_INDEX: &str = "";

fn statements(
    backend: DbBackend,
    tenant: Uuid,
    kind: ResourceKind,
    filter: &str,
) -> Vec<SelectStatement> {
    let registry = SchemaRegistry::standard();
    let params = ListParams {
        filter: Some(filter.to_owned()),
        count: Some("100".into()),
        ..ListParams::default()
    };
    let limits = PageLimits {
        default_count: 100,
        max_results: 1000,
    };
    let query = ListQuery::from_params(&params, &registry, kind, limits).expect("valid query");
    let sql = ListStatements::build(&registry, backend, tenant, kind, &query).expect("compiles");
    let count = sql.count_statement();
    vec![sql.page.expect("a page is asked for").into_query(), count]
}

/// How a plan must reach the rows: through `index`, bounded on `column`.
#[derive(Clone, Copy)]
struct Seek {
    index: &'static str,
    column: &'static str,
    range: bool,
}

const fn eq(index: &'static str, column: &'static str) -> Seek {
    Seek {
        index,
        column,
        range: false,
    }
}

const fn prefix(index: &'static str, column: &'static str) -> Seek {
    Seek {
        index,
        column,
        range: true,
    }
}

/// Whether the plan reads `seek.index` with a bound on `seek.column` (an equality, or both
/// ends of a range), rather than walking the tenant's whole part of some index.
fn seeks(backend: DbBackend, plan: &[String], seek: Seek) -> bool {
    let column = seek.column;
    let ops: &[&str] = match (backend, seek.range) {
        (DbBackend::Postgres, false) => &[" = "],
        (DbBackend::Postgres, true) => &[" >= ", " < "],
        (_, false) => &["=?"],
        (_, true) => &[">?", "<?"],
    };
    let bounded = |cond: &str| {
        // PostgreSQL writes `(user_name_ci)::text = '…'`; the column must be a whole word.
        let cond = cond.replace(")::text", "").replace('(', " ");
        ops.iter().all(|op| {
            cond.match_indices(&format!("{column}{op}")).any(|(at, _)| {
                at == 0
                    || !cond.as_bytes()[at - 1].is_ascii_alphanumeric()
                        && cond.as_bytes()[at - 1] != b'_'
            })
        })
    };
    plan.iter().enumerate().any(|(at, line)| {
        if !line.contains(seek.index) {
            return false;
        }
        match backend {
            // The node's conditions follow on its own lines, up to the next node.
            DbBackend::Postgres => plan[at + 1..]
                .iter()
                .take_while(|l| !l.contains("->"))
                .any(|l| l.contains("Index Cond") && bounded(l)),
            _ => bounded(line),
        }
    })
}

pub(crate) async fn plans(
    app: &crate::helpers::TestApp,
    tenant: Uuid,
    kind: ResourceKind,
    filter: &str,
) -> Vec<Vec<String>> {
    let backend = app.db.get_database_backend();
    let mut out = Vec::new();
    for statement in statements(backend, tenant, kind, filter) {
        let txn = app.db.begin().await.expect("transaction");
        if backend == DbBackend::Postgres {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await
                .expect("planner setting");
        }
        out.push(explain(&txn, &statement).await.expect("explains"));
        txn.rollback().await.expect("rollback");
    }
    out
}

/// A tenant with a few thousand users and some groups, with planner statistics where the
/// database keeps them: PostgreSQL plans an empty table differently from a used one. SQLite
/// gets no `ANALYZE`, as in production, so its plans must not depend on statistics.
pub(crate) async fn populated_tenant(app: &crate::helpers::TestApp) -> Uuid {
    populated_tenant_of(app, 3000).await
}

/// `populated_tenant` with `users` users.
pub(crate) async fn populated_tenant_of(app: &crate::helpers::TestApp, users: usize) -> Uuid {
    let tenant = app.tenant("plans").await;
    for i in 0..30 {
        app.create_group(&tenant, &format!("Group {i}"), &[]).await;
    }
    let row = tenants::Entity::find()
        .filter(tenants::Column::Slug.eq(tenant.slug.as_str()))
        .one(&app.db)
        .await
        .expect("tenant row")
        .expect("tenant exists");
    let registry = SchemaRegistry::standard();
    let kind = ResourceKind::User;
    let writes: Vec<ResourceWrite> = (0..users)
        .map(|i| {
            let doc = json!({
                "schemas": [USER_SCHEMA],
                "userName": format!("user{i}@example.com"),
                "externalId": format!("00u{i}"),
                "displayName": format!("User {i}"),
                "name": {"familyName": format!("Family{i}")},
                "emails": [{"value": format!("user{i}@example.com"), "type": "work"}],
            });
            let document = canonicalize(&registry, kind, doc)
                .expect("valid user")
                .document;
            ResourceWrite {
                id: Uuid::now_v7(),
                kind,
                values: searchable_values(&registry, kind, &document),
                indexed: IndexedValues::of(&document),
                document,
                password_hash: None,
                members: Vec::new(),
                references: Vec::new(),
                at: Utc::now(),
                takes_seat: false,
            }
        })
        .collect();
    bulk_insert_users(&app.db, TenantId(row.id), &writes)
        .await
        .expect("users inserted");
    if app.db.get_database_backend() == DbBackend::Postgres {
        app.db.execute_unprepared("ANALYZE").await.expect("analyze");
    }
    row.id
}

#[tokio::test]
async fn lookups_and_prefix_searches_seek_an_index() {
    let app = spawn_app().await;
    let backend = app.db.get_database_backend();
    let tenant = populated_tenant(&app).await;
    let norm = "value_norm";
    let id = Uuid::now_v7();
    let user = ResourceKind::User;
    let group = ResourceKind::Group;
    let cases: Vec<(ResourceKind, String, Vec<Seek>)> =
        vec![
        (user, r#"userName eq "ada@example.com""#.into(), vec![eq(USER_NAME, "user_name_ci")]),
        (user, r#"userName sw "ada""#.into(), vec![prefix(USER_NAME, "user_name_ci")]),
        (user, r#"externalId eq "00u1""#.into(), vec![eq(EXTERNAL_ID, "external_id")]),
        (user, r#"displayName eq "Ada""#.into(), vec![eq(DISPLAY_NAME, "display_name_ci")]),
        (group, r#"displayName eq "Admins""#.into(), vec![eq(DISPLAY_NAME, "display_name_ci")]),
        (group, r#"displayName sw "Adm""#.into(), vec![prefix(DISPLAY_NAME, "display_name_ci")]),
        (user, r#"emails.value eq "ada@example.com""#.into(), vec![eq(NORM, norm)]),
        (user, r#"emails[value eq "ada@example.com"]"#.into(), vec![eq(NORM, norm)]),
        (user, r#"emails[type eq "work" and value sw "ada"]"#.into(), vec![prefix(NORM, norm)]),
        (user, r#"emails[type eq "work"].value eq "ada@example.com""#.into(), vec![eq(NORM, norm)]),
        (user, format!(r#"id eq "{id}""#), vec![eq(ANY_INDEX, "id")]),
        (
            user,
            r#"userName eq "ada@example.com" or externalId eq "00u1" or emails.value eq "a@b.c""#
                .into(),
            vec![
                eq(USER_NAME, "user_name_ci"),
                eq(EXTERNAL_ID, "external_id"),
                eq(NORM, norm),
            ],
        ),
    ];
    for (kind, filter, expected) in cases {
        for plan in plans(&app, tenant, kind, &filter).await {
            for seek in &expected {
                assert!(
                    seeks(backend, &plan, *seek),
                    "{filter}: no bounded seek on {} ({}) in\n{}",
                    seek.index,
                    seek.column,
                    plan.join("\n")
                );
            }
        }
    }
}

#[tokio::test]
async fn a_filter_no_index_can_bound_is_not_reported_as_a_seek() {
    // The check above must be able to fail: `co` cannot be bounded by a b-tree.
    let app = spawn_app().await;
    let backend = app.db.get_database_backend();
    let tenant = populated_tenant(&app).await;
    for plan in plans(&app, tenant, ResourceKind::User, r#"userName co "ada""#).await {
        assert!(
            !seeks(backend, &plan, eq(USER_NAME, "user_name_ci"))
                && !seeks(backend, &plan, prefix(USER_NAME, "user_name_ci")),
            "{}",
            plan.join("\n")
        );
    }
}

#[tokio::test]
async fn postgres_connections_run_without_jit() {
    // JIT compile time (hundreds of ms) dwarfs scimgate's millisecond queries; a recursive
    // group-closure estimate alone can cross `jit_above_cost`.
    let app = spawn_app().await;
    if app.db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SHOW jit",
        ))
        .await
        .expect("query")
        .expect("a row");
    let jit: String = row.try_get_by_index(0).expect("text");
    assert_eq!(jit, "off");
}
