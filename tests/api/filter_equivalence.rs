//! Property: for generated users and generated filters, the database's answer (SQL on SQLite
//! or PostgreSQL) equals the in-memory evaluator's answer on the same users.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use scimgate_domain::filter::{AttrPath, CompValue, CompareOp, Filter, matches, parse, resolve};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use serde_json::{Value, json};

use crate::helpers::{ENTERPRISE, TestApp, TestTenant, USER_SCHEMA, listed, spawn_tenant};

const WORDS: [&str; 6] = ["ada", "Ada", "grace", "ÄRGER", "lin", "zed"];
const TYPES: [&str; 3] = ["work", "home", "other"];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS.to_vec()).prop_map(str::to_owned)
}

/// A user document with optional attributes drawn from a small vocabulary, so filters hit.
fn user_doc(index: usize) -> impl Strategy<Value = Value> {
    (
        prop::option::of(word()),
        prop::option::of(word()),
        prop::option::of(any::<bool>()),
        prop::option::of(word()),
        prop::collection::vec((word(), prop::sample::select(TYPES.to_vec()), any::<bool>()), 0..3),
        prop::option::of(word()),
    )
        .prop_map(move |(display, title, active, family, emails, department)| {
            let mut doc = json!({"schemas": [USER_SCHEMA, ENTERPRISE], "userName": format!("u{index}-{}", display.clone().unwrap_or_default())});
            let obj = doc.as_object_mut().expect("object");
            if let Some(d) = display {
                obj.insert("displayName".into(), json!(d));
            }
            if let Some(t) = title {
                obj.insert("title".into(), json!(t));
            }
            if let Some(a) = active {
                obj.insert("active".into(), json!(a));
            }
            if let Some(f) = family {
                obj.insert("name".into(), json!({"familyName": f}));
            }
            let mut primary_used = false;
            let emails: Vec<Value> = emails
                .into_iter()
                .enumerate()
                .map(|(i, (local, kind, primary))| {
                    let primary = primary && !primary_used;
                    primary_used |= primary;
                    json!({"value": format!("{local}{i}@x.example"), "type": kind, "primary": primary})
                })
                .collect();
            if !emails.is_empty() {
                obj.insert("emails".into(), Value::Array(emails));
            }
            if let Some(d) = department {
                obj.insert(ENTERPRISE.into(), json!({"department": d}));
            }
            doc
        })
}

fn op() -> impl Strategy<Value = CompareOp> {
    prop::sample::select(CompareOp::ALL.to_vec())
}

fn string_path() -> impl Strategy<Value = AttrPath> {
    prop::sample::select(vec![
        AttrPath::simple("userName"),
        AttrPath::simple("displayName"),
        AttrPath::simple("title"),
        AttrPath::with_sub("name", "familyName"),
        AttrPath::with_sub("emails", "value"),
        AttrPath::with_sub("emails", "type"),
        AttrPath::simple("department"),
    ])
}

fn leaf() -> impl Strategy<Value = Filter> {
    let text = (string_path(), op(), word()).prop_map(|(path, op, w)| Filter::Compare {
        path,
        op,
        value: CompValue::String(w.chars().take(2).collect()),
    });
    let exact = (string_path(), word()).prop_map(|(path, w)| Filter::Compare {
        path,
        op: CompareOp::Eq,
        value: CompValue::String(w),
    });
    let boolean = (
        prop::sample::select(vec![CompareOp::Eq, CompareOp::Ne]),
        any::<bool>(),
    )
        .prop_map(|(op, b)| Filter::Compare {
            path: AttrPath::simple("active"),
            op,
            value: CompValue::Bool(b),
        });
    // Entra ID quotes booleans (`primary eq "True"`); the database and the evaluator (which
    // PATCH paths use) must read them alike.
    let quoted_boolean = (
        prop::sample::select(vec![CompareOp::Eq, CompareOp::Ne]),
        prop::sample::select(vec!["True", "false", "TRUE", "False"]),
        any::<bool>(),
    )
        .prop_map(|(op, text, in_emails)| {
            let compare = |path| Filter::Compare {
                path,
                op,
                value: CompValue::String(text.into()),
            };
            if in_emails {
                Filter::ValuePath {
                    path: AttrPath::simple("emails"),
                    filter: Box::new(compare(AttrPath::simple("primary"))),
                }
            } else {
                compare(AttrPath::simple("active"))
            }
        });
    let present = string_path().prop_map(Filter::Present);
    let value_path =
        (prop::sample::select(TYPES.to_vec()), op(), word()).prop_map(|(kind, op, w)| {
            Filter::ValuePath {
                path: AttrPath::simple("emails"),
                filter: Box::new(Filter::And(
                    Box::new(Filter::Compare {
                        path: AttrPath::simple("type"),
                        op: CompareOp::Eq,
                        value: CompValue::String(kind.into()),
                    }),
                    Box::new(Filter::Compare {
                        path: AttrPath::simple("value"),
                        op,
                        value: CompValue::String(w.chars().take(2).collect()),
                    }),
                )),
            }
        });
    let single_value_path =
        (prop::sample::select(vec!["value", "type"]), op(), word()).prop_map(|(sub, op, w)| {
            Filter::ValuePath {
                path: AttrPath::simple("emails"),
                filter: Box::new(Filter::Compare {
                    path: AttrPath::simple(sub),
                    op,
                    value: CompValue::String(w.chars().take(2).collect()),
                }),
            }
        });
    prop_oneof![
        text,
        exact,
        boolean,
        quoted_boolean,
        present,
        value_path,
        single_value_path
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    leaf().prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|f| Filter::Not(Box::new(f))),
        ]
    })
}

async fn all_users(app: &TestApp, tenant: &TestTenant) -> Vec<Value> {
    let body: Value = app.get_json(tenant, "/Users?count=200").await;
    body["Resources"].as_array().unwrap().clone()
}

async fn filtered_ids(app: &TestApp, tenant: &TestTenant, filter: &str) -> BTreeSet<String> {
    let query = [("filter", filter), ("count", "200")];
    let body = app.get_query_json(tenant, "/Users", &query).await;
    listed(&body, "id").into_iter().collect()
}

#[test]
fn database_filtering_equals_in_memory_evaluation() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 96,
        ..Config::default()
    });
    let users: Vec<Value> = (0..30)
        .map(|i| user_doc(i).new_tree(&mut runner).unwrap().current())
        .collect();
    let (app, tenant, stored) = runtime.block_on(async {
        let (app, tenant) = spawn_tenant("acme").await;
        for user in &users {
            let response = app.post(&tenant, "/Users", user).await;
            assert_eq!(response.status(), 201, "{user}");
        }
        let stored = all_users(&app, &tenant).await;
        (app, tenant, stored)
    });
    let registry = SchemaRegistry::standard();

    runner
        .run(&filter(), |generated| {
            let text = generated.to_string();
            let resolved = resolve(parse(&text).unwrap(), &registry, ResourceKind::User).unwrap();
            let expected: BTreeSet<String> = stored
                .iter()
                .filter(|user| matches(&resolved, user, &registry, ResourceKind::User))
                .map(|user| user["id"].as_str().unwrap().to_owned())
                .collect();
            let actual = runtime.block_on(filtered_ids(&app, &tenant, &text));
            prop_assert_eq!(actual, expected, "filter {}", text);
            Ok(())
        })
        .unwrap();
}
