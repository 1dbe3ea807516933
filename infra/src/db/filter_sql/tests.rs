//! Every filter resolution lets through compiles: the compiler's errors are invariants, not
//! protocol rules (those live in `scimgate_domain::filter::resolve`). The filters are every
//! attribute and sub-attribute of the standard schemas, under `pr`, each operator with a
//! literal of each kind, and inside `[...]` alone, in an `and` and under `not`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use scimgate_domain::authz::VisibleRows;
use scimgate_domain::filter::{AttrPath, CompValue, CompareOp, Filter, parse, resolve};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::{AttributeDef, SchemaRegistry};
use sea_orm::DbBackend;
use uuid::Uuid;

use super::FilterCompiler;

fn literals() -> Vec<CompValue> {
    let s = |t: &str| CompValue::String(t.into());
    vec![
        s("x"),
        s("True"),
        s("2011-05-13T04:42:34Z"),
        s("W/\"1\""),
        s("7"),
        s("User"),
        s(&Uuid::nil().to_string().to_uppercase()),
        CompValue::Number(5.into()),
        CompValue::Bool(true),
        CompValue::Null,
    ]
}

/// `path pr` and `path op literal` for every operator and literal.
fn tests_on(path: &AttrPath, out: &mut Vec<Filter>) {
    out.push(Filter::Present(path.clone()));
    for op in CompareOp::ALL {
        for value in literals() {
            out.push(Filter::Compare {
                path: path.clone(),
                op,
                value,
            });
        }
    }
}

fn path(schema: Option<&str>, attribute: &str, sub: Option<&str>) -> AttrPath {
    AttrPath {
        schema: schema.map(str::to_owned),
        attribute: attribute.into(),
        sub_attribute: sub.map(str::to_owned),
    }
}

/// The candidate filters on one attribute of `schema` (`None`: a common attribute).
fn filters_on(schema: Option<&str>, attr: &AttributeDef, out: &mut Vec<Filter>) {
    tests_on(&path(schema, attr.name, None), out);
    let mut inner = Vec::new();
    for sub in &attr.sub_attributes {
        tests_on(&path(schema, attr.name, Some(sub.name)), out);
        tests_on(&path(None, sub.name, None), &mut inner);
    }
    let and_value = |f: &Filter| {
        Filter::And(
            Box::new(f.clone()),
            Box::new(Filter::Present(path(None, "value", None))),
        )
    };
    for f in inner {
        for bracket in [f.clone(), and_value(&f), Filter::Not(Box::new(f))] {
            out.push(Filter::ValuePath {
                path: path(schema, attr.name, None),
                filter: Box::new(bracket),
            });
        }
    }
}

fn candidates(registry: &SchemaRegistry, kind: ResourceKind) -> Vec<Filter> {
    let mut out = Vec::new();
    for attr in registry.common_attributes() {
        filters_on(None, attr, &mut out);
    }
    let schemas = std::iter::once(registry.core_schema(kind)).chain(registry.extensions(kind));
    for schema in schemas {
        for attr in &schema.attributes {
            filters_on(Some(schema.id), attr, &mut out);
        }
    }
    out
}

fn rows(registry: &SchemaRegistry) -> VisibleRows {
    let rows = |text: &str, kind| Some(resolve(parse(text).unwrap(), registry, kind).unwrap());
    VisibleRows {
        users: rows(r#"userName sw "a""#, ResourceKind::User),
        groups: rows(r#"displayName sw "a""#, ResourceKind::Group),
    }
}

#[test]
fn every_filter_resolution_accepts_compiles_on_both_databases() {
    let registry = SchemaRegistry::standard();
    let visible = rows(&registry);
    let (mut accepted, mut refused) = (0, 0);
    for kind in ResourceKind::ALL {
        for candidate in candidates(&registry, kind) {
            let text = candidate.to_string();
            let Ok(filter) = resolve(candidate, &registry, kind) else {
                refused += 1;
                continue;
            };
            accepted += 1;
            for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
                for within in [None, Some(&visible)] {
                    let compiler = FilterCompiler {
                        registry: &registry,
                        kind,
                        tenant: Uuid::nil(),
                        backend,
                        within,
                    };
                    if let Err(err) = compiler.condition(&filter) {
                        panic!("{kind:?} `{text}` resolved but does not compile: {err}");
                    }
                    let members = kind == ResourceKind::Group
                        && matches!(&*filter, Filter::ValuePath { path, .. } if path.attribute == "members");
                    if members && let Err(err) = compiler.member_condition(&filter) {
                        panic!("`{text}` resolved but its members bracket does not compile: {err}");
                    }
                }
            }
        }
    }
    // Both outcomes are exercised: the candidates are not all trivially valid or invalid.
    assert!(accepted > 2000 && refused > 2000, "{accepted} / {refused}");
}
