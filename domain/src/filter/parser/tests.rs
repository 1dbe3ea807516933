use super::*;
use crate::filter::ast::CompareOp;

fn p(input: &str) -> Filter {
    parse(input).unwrap_or_else(|e| panic!("{input}: {e}"))
}

fn err(input: &str) -> String {
    match parse(input) {
        Err(DomainError::InvalidFilter(detail)) => detail,
        other => panic!("{input}: expected InvalidFilter, got {other:?}"),
    }
}

fn cmp(path: AttrPath, op: CompareOp, value: CompValue) -> Filter {
    Filter::Compare { path, op, value }
}

fn s(v: &str) -> CompValue {
    CompValue::String(v.into())
}

fn and(l: Filter, r: Filter) -> Filter {
    Filter::And(Box::new(l), Box::new(r))
}

fn or(l: Filter, r: Filter) -> Filter {
    Filter::Or(Box::new(l), Box::new(r))
}

fn num(v: &str) -> CompValue {
    CompValue::Number(serde_json::from_str(v).unwrap())
}

/// Every example filter of RFC 7644 §3.4.2.2.
const RFC_EXAMPLES: &[&str] = &[
    r#"userName eq "bjensen""#,
    r#"name.familyName co "O'Malley""#,
    r#"userName sw "J""#,
    r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
    r#"title pr"#,
    r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
    r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
    r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
    r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
    r#"title pr and userType eq "Employee""#,
    r#"title pr or userType eq "Intern""#,
    r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
    r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
    r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
    r#"userType eq "Employee" and (emails.type eq "work")"#,
    r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
    r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
];

#[test]
fn parses_every_rfc_example() {
    for example in RFC_EXAMPLES {
        p(example);
    }
}

#[test]
fn rfc_examples_have_the_expected_shape() {
    assert_eq!(
        p(r#"name.familyName co "O'Malley""#),
        cmp(
            AttrPath::with_sub("name", "familyName"),
            CompareOp::Co,
            s("O'Malley")
        )
    );
    assert_eq!(
        p(
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#
        ),
        and(
            cmp(AttrPath::simple("userType"), CompareOp::Ne, s("Employee")),
            Filter::Not(Box::new(or(
                cmp(AttrPath::simple("emails"), CompareOp::Co, s("example.com")),
                cmp(
                    AttrPath::with_sub("emails", "value"),
                    CompareOp::Co,
                    s("example.org")
                ),
            )))
        )
    );
    assert_eq!(
        p(r#"emails[type eq "work" and value co "@example.com"]"#),
        Filter::ValuePath {
            path: AttrPath::simple("emails"),
            filter: Box::new(and(
                cmp(AttrPath::simple("type"), CompareOp::Eq, s("work")),
                cmp(AttrPath::simple("value"), CompareOp::Co, s("@example.com")),
            )),
        }
    );
}

#[test]
fn schema_urn_is_everything_before_the_last_colon() {
    let path = |input: &str| match p(input) {
        Filter::Present(path) => path,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        path("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr"),
        AttrPath {
            schema: Some("urn:ietf:params:scim:schemas:core:2.0:User".into()),
            attribute: "name".into(),
            sub_attribute: Some("givenName".into()),
        }
    );
    assert_eq!(
        path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr"),
        AttrPath {
            schema: Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".into()),
            attribute: "department".into(),
            sub_attribute: None,
        }
    );
    assert_eq!(
        path("members.$ref pr"),
        AttrPath::with_sub("members", "$ref")
    );
}

#[test]
fn and_binds_tighter_than_or_and_both_lean_left() {
    let a = cmp(AttrPath::simple("a"), CompareOp::Eq, num("1"));
    let b = cmp(AttrPath::simple("b"), CompareOp::Eq, num("2"));
    let c = cmp(AttrPath::simple("c"), CompareOp::Eq, num("3"));
    assert_eq!(
        p("a eq 1 or b eq 2 and c eq 3"),
        or(a.clone(), and(b.clone(), c.clone()))
    );
    assert_eq!(
        p("a eq 1 and b eq 2 or c eq 3"),
        or(and(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(
        p("a eq 1 or b eq 2 or c eq 3"),
        or(or(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(p("a eq 1 and (b eq 2 or c eq 3)"), and(a, or(b, c)));
}

#[test]
fn operators_and_keywords_ignore_case_and_extra_whitespace() {
    assert_eq!(
        p("  userName   EQ \"x\"\tAnd\ttitle PR  OR NOT(active Eq TRUE) "),
        p(r#"userName eq "x" and title pr or not (active eq true)"#)
    );
    for op in ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] {
        let f = p(&format!("a {} 1", op.to_uppercase()));
        assert!(matches!(f, Filter::Compare { op: o, .. } if o.as_str() == op));
    }
}

#[test]
fn values_cover_json_literals_numbers_and_escapes() {
    let value = |input: &str| match p(&format!("a eq {input}")) {
        Filter::Compare { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(value("true"), CompValue::Bool(true));
    assert_eq!(value("False"), CompValue::Bool(false));
    assert_eq!(value("NULL"), CompValue::Null);
    assert_eq!(value("42"), num("42"));
    assert_eq!(value("-7"), num("-7"));
    assert_eq!(value("3.25"), num("3.25"));
    assert_eq!(value("-1.5E+3"), num("-1500.0"));
    assert_eq!(
        value(r#""q\"b\\s\/n\nu\u00e9\ud83d\ude00""#),
        s("q\"b\\s/n\nué😀")
    );
    assert_eq!(value(r#""a (b) [c] and or""#), s("a (b) [c] and or"));
}

#[test]
fn patch_style_trailing_sub_attribute_joins_the_bracket() {
    assert_eq!(
        p(r#"emails[type eq "work"].value eq "x""#),
        Filter::ValuePath {
            path: AttrPath::simple("emails"),
            filter: Box::new(and(
                cmp(AttrPath::simple("type"), CompareOp::Eq, s("work")),
                cmp(AttrPath::simple("value"), CompareOp::Eq, s("x")),
            )),
        }
    );
    assert!(matches!(
        p(r#"emails[type eq "work"].value pr and title pr"#),
        Filter::And(..)
    ));
}

#[test]
fn malformed_filters_say_what_was_expected_and_where() {
    let cases = [
        ("", "empty"),
        ("   ", "empty"),
        (
            r#"userName eqq "x""#,
            "expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or 'pr' at position 9 near 'eqq \"x\"'",
        ),
        (
            "userName eq",
            "expected a value (a string in double quotes, a number, true, false or null) at position 11 (end of the filter)",
        ),
        ("userName eq bjensen", "expected a value"),
        ("userName eq 'x'", "expected a value"),
        (
            r#"(userName eq "x""#,
            "expected ')' to close the '(' at position 0",
        ),
        (
            r#"userName eq "x")"#,
            "expected 'and', 'or' or the end of the filter at position 15 near ')'",
        ),
        (
            r#"userName eq "x" title pr"#,
            "expected 'and', 'or' or the end of the filter at position 16",
        ),
        (r#"not userName eq "x""#, "expected '(' after 'not'"),
        (
            "not (title pr",
            "expected ')' to close the '(' at position 4",
        ),
        (
            r#"emails[type eq "work""#,
            "expected ']' to close the '[' at position 6",
        ),
        (
            r#"emails[type[value eq "x"]]"#,
            "value filters cannot be nested",
        ),
        (
            r#"userName eq "x"#,
            "unterminated string starting at position 12",
        ),
        (
            r#"userName eq "\x""#,
            "invalid string starting at position 12",
        ),
        (
            "and",
            "expected an attribute path, '(' or 'not' at position 0",
        ),
        (
            "title pr and",
            "expected an attribute path, '(' or 'not' at position 12 (end of the filter)",
        ),
        ("title pr or or x pr", "at position 12"),
        (
            "()",
            "expected an attribute path, '(' or 'not' at position 1",
        ),
        ("1abc pr", "'1abc' is not a valid attribute path"),
        (
            "name.given.x pr",
            "'name.given.x' is not a valid attribute path",
        ),
        (":userName pr", "not a valid attribute path"),
        ("urn:x: pr", "not a valid attribute path"),
        (
            r#"emails[type eq "w"].1 eq "x""#,
            "not a valid sub-attribute name",
        ),
        ("a eq 01", "expected a value"),
    ];
    for (input, expected) in cases {
        let detail = err(input);
        assert!(
            detail.contains(expected),
            "{input:?}: {detail:?} does not contain {expected:?}"
        );
    }
}

/// Found by fuzzing: `emails[t eq "w"].and pr` parsed, but its canonical print
/// `emails[t eq "w" and and pr]` did not, since inside the bracket `and` is a keyword.
#[test]
fn keywords_are_no_trailing_sub_attribute() {
    for keyword in ["and", "OR", "Not"] {
        let input = format!(r#"emails[type eq "work"].{keyword} pr"#);
        assert!(
            err(&input).contains(&format!("'{keyword}' after ']' is a keyword")),
            "{input}"
        );
    }
    // Names that merely start like a keyword stay sub-attributes, and print back.
    let filter = p(r#"emails[type eq "work"].notes pr"#);
    assert_eq!(p(&filter.to_string()), filter);
}

#[test]
fn limits_on_length_and_depth_are_enforced() {
    let long = format!(r#"userName eq "{}""#, "x".repeat(MAX_FILTER_LENGTH));
    assert!(err(&long).contains("at most 4096 are allowed"));

    let nested = |n: usize| format!("{}title pr{}", "(".repeat(n), ")".repeat(n));
    p(&nested(MAX_FILTER_DEPTH));
    assert!(err(&nested(MAX_FILTER_DEPTH + 1)).contains("nests deeper than 32 levels"));
    assert!(err(&nested(2000)).contains("nests deeper than 32 levels"));

    let nots = |n: usize| format!("{}title pr{}", "not (".repeat(n), ")".repeat(n));
    p(&nots(MAX_FILTER_DEPTH));
    assert!(err(&nots(MAX_FILTER_DEPTH + 1)).contains("nests deeper"));

    let chain = |n: usize| vec!["title pr"; n].join(" or ");
    p(&chain(MAX_FILTER_DEPTH + 1));
    assert!(err(&chain(MAX_FILTER_DEPTH + 2)).contains("nests deeper"));
}

#[test]
fn never_panics_on_awkward_unicode() {
    for input in [
        "é",
        "é eq",
        "\u{0} eq 1",
        "a eq \"é",
        "ü[",
        "😀 pr",
        "a eq 1 😀",
    ] {
        assert!(parse(input).is_err(), "{input}");
    }
}
