//! A filter that has passed [`resolve`](super::resolve): every path known and canonical,
//! every literal typed by its attribute. Only resolution builds one, so the consumers that
//! take it (the SQL compiler, the in-memory evaluator, policy row filters, PATCH paths) cannot
//! be handed a filter that skipped the checks, and all of them accept exactly the same
//! filters. (kanidm's `Filter<FilterInvalid>` → `Filter<FilterValid>` is the model.)

use std::fmt;
use std::ops::Deref;

use super::ast::Filter;

/// A resolved filter; read it as a [`Filter`] through `Deref`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedFilter(Filter);

impl ResolvedFilter {
    /// Private to the filter module: only resolution vouches for a filter.
    pub(super) fn new(filter: Filter) -> Self {
        Self(filter)
    }

    /// The bracketed part of `attr[...]`, its paths relative to one value of `attr`.
    pub fn value_filter(&self) -> Option<&Filter> {
        match &self.0 {
            Filter::ValuePath { filter, .. } => Some(filter),
            _ => None,
        }
    }

    /// The plain AST, for callers that take it apart (it is no longer vouched for).
    pub fn into_inner(self) -> Filter {
        self.0
    }
}

impl Deref for ResolvedFilter {
    type Target = Filter;

    fn deref(&self) -> &Filter {
        &self.0
    }
}

impl fmt::Display for ResolvedFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
