//! The attributes the server keeps itself rather than in the document: `id`, `meta` and group
//! membership (a group's `members`, a user's `groups`). A search answers them from columns and
//! from the membership table, the in-memory evaluator (PATCH paths, row filters) from the
//! rendered resource, so what a filter may ask of them is decided here, once, and both paths
//! accept the same filters:
//!
//! - `id` and `meta.version` name one resource version: only `eq`/`ne` (and `pr`);
//! - `meta.resourceType` is the same for every row of a listing: no ordering;
//! - `meta` itself and `meta.location` (derived from the request's URL) take no filter;
//! - a membership is a resource id and, for a group's members, the member's type: only
//!   `eq`/`ne` on `value` (or the bare attribute) and on a member's `type`; `$ref` and a
//!   user's `groups.type`, rendered for every membership but not stored, take only `pr` and
//!   null tests; `display`, rendered only when the other end has a name, takes no filter.
//!
//! Literals are rewritten to the form a client reads back (`meta.version eq "3"` to `W/"3"`,
//! a member's `value` to a lowercase hyphenated UUID), so a search and the evaluator select
//! the same resources, and printing the resolved filter gives a filter that resolves to
//! itself. `id` is caseExact: only its rendered spelling names a resource, on both paths.

use uuid::Uuid;

use super::super::ast::{AttrPath, CompValue, CompareOp};
use crate::error::{DomainError, DomainResult};
use crate::schema::common::{etag, version_of};
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;

/// One of the server's own attributes, as a canonical path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ServerAttribute<'p> {
    Id,
    /// `meta` (`None`) or one of its sub-attributes.
    Meta(Option<&'p str>),
    /// A sub-attribute of a membership; the bare attribute stands for its `value`.
    Relation(Relation, &'p str),
}

impl<'p> ServerAttribute<'p> {
    /// What the canonical `path` names on `kind`, inside the `[...]` of `within` if given.
    pub(super) fn of(
        path: &'p AttrPath,
        kind: ResourceKind,
        within: Option<Relation>,
    ) -> Option<Self> {
        if let Some(relation) = within {
            return Some(Self::Relation(relation, &path.attribute));
        }
        let sub = path.sub_attribute.as_deref();
        match path.schema.as_deref() {
            None if path.attribute == "id" && sub.is_none() => Some(Self::Id),
            None if path.attribute == "meta" => Some(Self::Meta(sub)),
            Some(schema) if schema == kind.core_schema() => Relation::named(kind, &path.attribute)
                .map(|relation| Self::Relation(relation, sub.unwrap_or("value"))),
            _ => None,
        }
    }

    /// Whether the attribute can appear in a filter at all (`pr`, a comparison, `[...]`).
    pub(super) fn filterable(self) -> DomainResult<()> {
        match self {
            Self::Meta(None) => Err(invalid("meta cannot be filtered on".into())),
            Self::Meta(Some("location")) => {
                Err(invalid("meta.location cannot be filtered on".into()))
            }
            Self::Relation(_, "display") => {
                Err(invalid(format!("{} cannot be filtered on", self.name())))
            }
            _ => Ok(()),
        }
    }

    /// `value` (already typed by the attribute) if `op` applies to the attribute, in the
    /// spelling the rendered resource carries.
    pub(super) fn compare(self, op: CompareOp, value: CompValue) -> DomainResult<CompValue> {
        self.filterable()?;
        // `eq null` and `ne null` ask whether the attribute is there, which every one answers.
        if value == CompValue::Null {
            return Ok(value);
        }
        let equality = matches!(op, CompareOp::Eq | CompareOp::Ne);
        let ordering = matches!(
            op,
            CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
        );
        let accepted = match self {
            Self::Id | Self::Meta(Some("version")) => equality,
            Self::Meta(Some("resourceType")) => !ordering,
            Self::Relation(_, "value") => equality,
            Self::Relation(Relation::Members, "type") => equality,
            Self::Relation(..) => false,
            Self::Meta(_) => true,
        };
        if !accepted {
            return Err(invalid(format!(
                "'{}' is not supported on {}",
                op.as_str(),
                self.name()
            )));
        }
        Ok(match (self, value) {
            // A member's `value` ignores case (`id` does not, and keeps its literal).
            (Self::Relation(_, "value"), CompValue::String(text)) => {
                CompValue::String(canonical_id(text))
            }
            (Self::Meta(Some("version")), CompValue::String(text)) => {
                CompValue::String(version_of(&text).map(etag).unwrap_or(text))
            }
            (_, value) => value,
        })
    }

    /// The attribute as error messages name it.
    fn name(self) -> String {
        match self {
            Self::Id => "id".into(),
            Self::Meta(None) => "meta".into(),
            Self::Meta(Some(sub)) => format!("meta.{sub}"),
            Self::Relation(relation, sub) => format!("{}.{sub}", relation.attribute()),
        }
    }
}

/// A UUID in the form ids are rendered in; any other text as written (it names nothing).
fn canonical_id(text: String) -> String {
    match Uuid::parse_str(&text) {
        Ok(id) => id.to_string(),
        Err(_) => text,
    }
}

fn invalid(detail: String) -> DomainError {
    DomainError::InvalidFilter(detail)
}

#[cfg(test)]
mod tests;
