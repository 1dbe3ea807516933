//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes a
//! response carries, within what RFC 7643 `returned` allows.
//!
//! Decisions where the RFCs leave room:
//! - Both parameters given: `attributes` wins and `excludedAttributes` is ignored. The RFC
//!   calls them alternatives; answering with the smaller, explicit list is the least surprising.
//! - A parameter without entries (`attributes=`) counts as not given.
//! - With `attributes`, only `schemas`, the returned=always attributes (`id`) and the listed
//!   ones remain. `meta` is returned=default like any other attribute, so it goes too unless
//!   `meta` or `meta.<sub>` is listed.
//! - returned=never (`password`) is dropped even when listed; returned=request only appears
//!   when listed by name.
//! - `schemas` is rewritten to the core URN plus the extensions still present, so it never
//!   announces an extension object the response no longer has.

mod apply;
mod rules;
mod select;

use self::select::{Selector, Target, parse_list, parse_name};
use crate::error::DomainResult;
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;

/// Which attributes a response carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Projection {
    mode: Mode,
}

/// What the client asked for, resolved against the resource type's schemas.
#[derive(Debug, Clone, PartialEq, Default)]
enum Mode {
    /// Everything returned by default.
    #[default]
    Default,
    /// `attributes`: these plus the returned=always ones.
    Only(Vec<Selector>),
    /// `excludedAttributes`: everything returned by default except these (never
    /// returned=always ones). Never empty: an exclusion of nothing is [`Mode::Default`].
    Exclude(Vec<Selector>),
}

impl Projection {
    /// Parses the comma-separated `attributes` and `excludedAttributes` parameters of a
    /// request for `kind`. Names are attribute paths (`userName`, `name.givenName`,
    /// `urn:…:enterprise:2.0:User:department`) or whole extension URNs, case-insensitive;
    /// whitespace around entries and empty entries are ignored. A name that is not an
    /// attribute path is `InvalidQuery`; a well-formed name that `kind` lacks is ignored,
    /// since clients send one list for several resource types. When both are given,
    /// `attributes` wins (see the module documentation).
    pub fn parse(
        attributes: Option<&str>,
        excluded: Option<&str>,
        registry: &SchemaRegistry,
        kind: ResourceKind,
    ) -> DomainResult<Self> {
        let mode = match parse_list(attributes, registry, kind)? {
            Some(only) => Mode::Only(only),
            None => match parse_list(excluded, registry, kind)? {
                Some(excluded) if !excluded.is_empty() => Mode::Exclude(excluded),
                _ => Mode::Default,
            },
        };
        Ok(Self { mode })
    }

    /// Removes from a rendered resource (see `render`) what the client did not ask for or may
    /// never see, and rewrites `schemas` to match what is left.
    pub fn apply(
        &self,
        resource: &mut serde_json::Value,
        registry: &SchemaRegistry,
        kind: ResourceKind,
    ) {
        apply::project(&self.mode, resource, registry, kind);
    }

    /// Whether the response can include any part of `attribute` (a name as in `parse`); the
    /// store skips loading Group `members` / User `groups` when this is false for them. Errs
    /// towards true: a name this cannot judge counts as included unless a list was asked for,
    /// the same rule `apply` uses for a key it does not know.
    pub fn includes(&self, attribute: &str, registry: &SchemaRegistry, kind: ResourceKind) -> bool {
        match parse_name(attribute, registry, kind) {
            Ok(Some(Target::Schema(schema))) => schema
                .attributes
                .iter()
                .any(|a| self.mode.keeps(Some(schema.id), Some(a))),
            Ok(Some(Target::Attribute(found))) => {
                self.mode.keeps(found.schema, Some(found.attribute))
                    && found.sub.is_none_or(|sub| {
                        self.mode
                            .keeps_sub(found.schema, found.attribute, sub.name, Some(sub))
                    })
            }
            Ok(None) | Err(_) => self.mode.keeps(None, None),
        }
    }

    /// Neither parameter named anything, so only the `returned` rules apply.
    pub fn is_default(&self) -> bool {
        self.mode == Mode::Default
    }
}

#[cfg(test)]
mod tests;
