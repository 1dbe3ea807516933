use proptest::prelude::*;
use serde_json::Number;

use super::*;
use crate::filter::{CompareOp, parse};

fn p(input: &str) -> Filter {
    parse(input).unwrap_or_else(|e| panic!("{input}: {e}"))
}

#[test]
fn prints_canonically_with_only_the_needed_parentheses() {
    let cases = [
        (r#"USERNAME EQ "x""#, r#"USERNAME eq "x""#),
        ("a pr or b pr and c pr", "a pr or b pr and c pr"),
        ("(a pr or b pr) and c pr", "(a pr or b pr) and c pr"),
        ("a pr and (b pr and c pr)", "a pr and (b pr and c pr)"),
        ("((a pr and b pr)) and c pr", "a pr and b pr and c pr"),
        ("a pr or (b pr or c pr)", "a pr or (b pr or c pr)"),
        ("not(a pr)", "not (a pr)"),
        (
            r#"emails[type eq "work"].value co "@x""#,
            r#"emails[type eq "work" and value co "@x"]"#,
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr",
            "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr",
        ),
        (
            "a eq TRUE or a eq Null or a gt -1.5e3",
            "a eq true or a eq null or a gt -1500.0",
        ),
        (r#"a eq "q\"\\\u0001\/é""#, r#"a eq "q\"\\\u0001/é""#),
    ];
    for (input, printed) in cases {
        assert_eq!(p(input).to_string(), printed, "{input}");
        assert_eq!(p(printed), p(input), "{printed}");
    }
}

/// Paths over a few User attributes, written in the ways clients write them.
fn top_path() -> impl Strategy<Value = AttrPath> + Clone {
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let core = "urn:ietf:params:scim:schemas:core:2.0:User";
    prop_oneof![
        Just(AttrPath::simple("userName")),
        Just(AttrPath::simple("title")),
        Just(AttrPath::simple("active")),
        Just(AttrPath::simple("id")),
        Just(AttrPath::with_sub("name", "givenName")),
        Just(AttrPath::with_sub("emails", "value")),
        Just(AttrPath::with_sub("meta", "lastModified")),
        Just(AttrPath {
            schema: Some(enterprise.into()),
            attribute: "department".into(),
            sub_attribute: None,
        }),
        Just(AttrPath {
            schema: Some(core.into()),
            attribute: "name".into(),
            sub_attribute: Some("familyName".into()),
        }),
    ]
}

fn inner_path() -> impl Strategy<Value = AttrPath> + Clone {
    prop_oneof![
        Just(AttrPath::simple("type")),
        Just(AttrPath::simple("value")),
        Just(AttrPath::simple("primary")),
    ]
}

fn comp_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        any::<u64>().prop_map(|n| CompValue::Number(n.into())),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(CompValue::Number)),
        any::<String>().prop_map(CompValue::String),
    ]
}

fn compare_op() -> impl Strategy<Value = CompareOp> {
    use CompareOp::*;
    prop::sample::select(vec![Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le])
}

fn leaf(path: impl Strategy<Value = AttrPath> + Clone) -> impl Strategy<Value = Filter> {
    prop_oneof![
        path.clone().prop_map(Filter::Present),
        (path, compare_op(), comp_value()).prop_map(|(path, op, value)| Filter::Compare {
            path,
            op,
            value
        }),
    ]
}

/// `and`/`or`/`not` trees over `leaves`.
fn logic(leaves: BoxedStrategy<Filter>) -> impl Strategy<Value = Filter> {
    leaves.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Filter::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Filter::Or(Box::new(l), Box::new(r))),
            inner.prop_map(|f| Filter::Not(Box::new(f))),
        ]
    })
}

fn filter() -> impl Strategy<Value = Filter> {
    let value_path = (
        prop_oneof![Just("emails"), Just("addresses")],
        logic(leaf(inner_path()).boxed()),
    )
        .prop_map(|(attr, inner)| Filter::ValuePath {
            path: AttrPath::simple(attr),
            filter: Box::new(inner),
        });
    logic(prop_oneof![3 => leaf(top_path()), 1 => value_path].boxed())
}

proptest! {
    #[test]
    fn printing_then_parsing_gives_the_same_filter(filter in filter()) {
        let printed = filter.to_string();
        let reparsed = parse(&printed);
        prop_assert!(reparsed.is_ok(), "{printed}: {reparsed:?}");
        prop_assert_eq!(reparsed.ok(), Some(filter), "{}", printed);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(input in "\\PC{0,200}") {
        let _ = parse(&input);
    }

    #[test]
    fn parse_never_panics_on_filter_shaped_noise(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "(", ")", "[", "]", "\"", "\\", "\\u", "not", "and", "or", " ", "a", ".b",
                "eq", "pr", "1", "-", "e", "é", ":", "urn:x", "true", "null",
            ]),
            0..60,
        )
    ) {
        let _ = parse(&parts.concat());
    }
}
