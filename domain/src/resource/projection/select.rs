//! One entry of an `attributes` or `excludedAttributes` list, checked against the schemas and
//! kept in canonical spelling so matching against rendered JSON needs no registry.

use crate::error::{DomainError, DomainResult};
use crate::filter::{self, Filter, ResolvedAttr, lookup};
use crate::schema::kind::ResourceKind;
use crate::schema::{SchemaDef, SchemaRegistry};

/// What a list entry names.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Selector {
    /// A whole schema by URN (how a client asks for an extension): its attributes returned by
    /// default.
    Schema(&'static str),
    /// An attribute or sub-attribute. `schema` is the defining URN, `None` for the common
    /// attributes, exactly as [`filter::lookup`] reports it.
    Path {
        schema: Option<&'static str>,
        attribute: &'static str,
        sub: Option<&'static str>,
    },
}

impl Selector {
    /// Names the whole attribute, not just some of its sub-attributes.
    pub(super) fn covers(&self, schema: Option<&str>, attribute: &str) -> bool {
        match self {
            Self::Schema(urn) => schema == Some(*urn),
            Self::Path {
                schema: s,
                attribute: a,
                sub: None,
            } => *s == schema && a.eq_ignore_ascii_case(attribute),
            Self::Path { sub: Some(_), .. } => false,
        }
    }

    /// Names the attribute or one of its sub-attributes by path; a whole schema does not
    /// count, since it brings only what that schema returns by default.
    pub(super) fn touches(&self, schema: Option<&str>, attribute: &str) -> bool {
        match self {
            Self::Schema(_) => false,
            Self::Path {
                schema: s,
                attribute: a,
                ..
            } => *s == schema && a.eq_ignore_ascii_case(attribute),
        }
    }

    /// Names exactly this sub-attribute (`emails.value`), not its parent as a whole.
    pub(super) fn names_sub(&self, schema: Option<&str>, attribute: &str, sub: &str) -> bool {
        match self {
            Self::Path {
                schema: s,
                attribute: a,
                sub: Some(b),
            } => *s == schema && a.eq_ignore_ascii_case(attribute) && b.eq_ignore_ascii_case(sub),
            _ => false,
        }
    }
}

/// The selectors of a comma-separated list, or `None` when it has no entries at all, so an
/// empty `attributes=` counts as not given. Entries naming nothing of `kind` are dropped:
/// clients send one list for every resource type.
pub(super) fn parse_list(
    list: Option<&str>,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) -> DomainResult<Option<Vec<Selector>>> {
    let Some(list) = list else {
        return Ok(None);
    };
    let mut selectors = Vec::new();
    let mut any = false;
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        any = true;
        if let Some(target) = parse_name(name, registry, kind)? {
            let selector = Selector::from(target);
            if !selectors.contains(&selector) {
                selectors.push(selector);
            }
        }
    }
    Ok(any.then_some(selectors))
}

/// What a single name resolves to on `kind`.
pub(super) enum Target<'r> {
    Schema(&'r SchemaDef),
    Attribute(ResolvedAttr<'r>),
}

impl From<Target<'_>> for Selector {
    fn from(target: Target<'_>) -> Self {
        match target {
            Target::Schema(schema) => Self::Schema(schema.id),
            Target::Attribute(found) => Self::Path {
                schema: found.schema,
                attribute: found.attribute.name,
                sub: found.sub.map(|s| s.name),
            },
        }
    }
}

/// One entry: `Ok(None)` when well-formed but unknown to `kind`.
pub(super) fn parse_name<'r>(
    name: &str,
    registry: &'r SchemaRegistry,
    kind: ResourceKind,
) -> DomainResult<Option<Target<'r>>> {
    // A bare URN would otherwise read as schema "…:2.0" with attribute "User"; whole schemas
    // are recognised first, and only this kind's schemas count.
    if let Some(schema) = registry.schema(name) {
        let own = std::iter::once(registry.core_schema(kind))
            .chain(registry.extensions(kind))
            .any(|s| s.id == schema.id);
        return Ok(own.then_some(Target::Schema(schema)));
    }
    let path = attr_path(name)?;
    Ok(lookup(registry, kind, &path).map(Target::Attribute))
}

/// The filter grammar already defines `attrPath`; a presence test around the name reuses it.
/// Anything that parses as more than a bare presence test (`a pr or b`) is not a name.
fn attr_path(name: &str) -> DomainResult<filter::AttrPath> {
    match filter::parse(&format!("{name} pr")) {
        Ok(Filter::Present(path)) => Ok(path),
        _ => Err(DomainError::InvalidQuery(format!(
            "'{name}' is not a valid attribute name"
        ))),
    }
}
