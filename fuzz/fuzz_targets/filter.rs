//! Filters (RFC 7644 §3.4.2.2) as clients write them in `?filter=` and `.search`: parsing
//! must never panic, the canonical print must parse back to the same AST, resolution against
//! the schemas must be stable under print and re-parse, and evaluation must not panic.
//!
//! A print may exceed the parser's limits (resolution spells every path out with its schema
//! URN; a trailing `].value` comparison after an `or` needs parentheses): it must then fail
//! on exactly those limits, nothing else.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimgate_domain::filter::{self, Filter};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_fuzz::{REGISTRY, RENDERED_GROUP, RENDERED_USER};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = filter::parse(text) else {
        return;
    };
    if let Some(again) = reparse(&parsed) {
        assert_eq!(again, parsed, "print/parse round trip of {text:?}");
    }
    for (kind, resource) in [
        (ResourceKind::User, &*RENDERED_USER),
        (ResourceKind::Group, &*RENDERED_GROUP),
    ] {
        let Ok(resolved) = filter::resolve(parsed.clone(), &REGISTRY, kind) else {
            continue;
        };
        if let Some(reprinted) = reparse(&resolved) {
            let again = filter::resolve(reprinted, &REGISTRY, kind)
                .unwrap_or_else(|e| panic!("resolved {resolved} no longer resolves: {e}"));
            assert_eq!(again, resolved, "resolution of {text:?} is not stable");
        }
        filter::matches(&resolved, resource, &REGISTRY, kind);
    }
});

/// The canonical print of `filter`, parsed again; `None` when the print is beyond the limits.
fn reparse(filter: &Filter) -> Option<Filter> {
    let printed = filter.to_string();
    match filter::parse(&printed) {
        Ok(again) => Some(again),
        Err(e) if beyond_limits(&printed, &e.to_string()) => None,
        Err(e) => panic!("printed {printed:?} does not parse: {e}"),
    }
}

fn beyond_limits(printed: &str, error: &str) -> bool {
    printed.chars().count() > filter::MAX_FILTER_LENGTH
        || error.contains(&format!("nests deeper than {}", filter::MAX_FILTER_DEPTH))
}
