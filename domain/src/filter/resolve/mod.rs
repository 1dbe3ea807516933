//! Checks a parsed filter against the schemas of a resource type and rewrites every path to
//! its canonical spelling and every literal to the attribute's type (`literal`), so the SQL
//! compiler and the evaluator never meet an unknown or oddly-cased name, nor disagree on a
//! value. What the server's own attributes (`id`, `meta`, memberships) accept is decided here
//! too (`server_attributes`): every rule about which filters are valid lives in this module,
//! so a search and a PATCH path or row filter accept and refuse the same filters, with the
//! same error.

use super::ast::{AttrPath, CompareOp, Filter};
use super::literal;
use super::resolved::ResolvedFilter;
use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;
use crate::schema::{AttributeDef, AttributeType, SchemaRegistry};
use server_attributes::ServerAttribute;

mod server_attributes;

/// What an attribute path names.
#[derive(Debug, Clone, Copy)]
pub struct ResolvedAttr<'r> {
    /// The URN of the schema defining the attribute; `None` for the common attributes.
    pub schema: Option<&'static str>,
    pub attribute: &'r AttributeDef,
    pub sub: Option<&'r AttributeDef>,
}

impl<'r> ResolvedAttr<'r> {
    /// The definition of the value the path points at: the sub-attribute if there is one.
    pub fn leaf(&self) -> &'r AttributeDef {
        self.sub.unwrap_or(self.attribute)
    }

    /// The membership relation the attribute is, on `kind`: `members` or `groups` of the core
    /// schema (an extension attribute of the same name is an ordinary attribute).
    pub fn relation(&self, kind: ResourceKind) -> Option<Relation> {
        self.schema
            .filter(|schema| *schema == kind.core_schema())
            .and_then(|_| Relation::named(kind, self.attribute.name))
    }
}

/// Finds the attribute `path` names on `kind`, ignoring case. Unqualified names are looked up
/// in the common attributes, then the core schema, then the extensions, where RFC 7644 lets a
/// server accept a name that only one extension defines.
pub fn lookup<'r>(
    registry: &'r SchemaRegistry,
    kind: ResourceKind,
    path: &AttrPath,
) -> Option<ResolvedAttr<'r>> {
    let name = path.attribute.as_str();
    let core = registry.core_schema(kind);
    let (schema, attribute) = match &path.schema {
        None => {
            if let Some(common) = registry
                .common_attributes()
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(name))
            {
                (None, common)
            } else if let Some(attribute) = core.attribute(name) {
                (Some(core.id), attribute)
            } else {
                let mut found = registry
                    .extensions(kind)
                    .filter_map(|ext| Some((Some(ext.id), ext.attribute(name)?)));
                let first = found.next()?;
                // Two extensions defining the name: the client has to say which it means.
                if found.next().is_some() {
                    return None;
                }
                first
            }
        }
        Some(urn) => {
            let schema = std::iter::once(core)
                .chain(registry.extensions(kind))
                .find(|s| s.id.eq_ignore_ascii_case(urn))?;
            (Some(schema.id), schema.attribute(name)?)
        }
    };
    let sub = match &path.sub_attribute {
        Some(sub) => Some(attribute.sub_attribute(sub)?),
        None => None,
    };
    Some(ResolvedAttr {
        schema,
        attribute,
        sub,
    })
}

/// Checks every path of `filter` against `kind`'s schemas and returns it canonicalised:
/// schema spelling, `schema` set to the defining URN (`None` for common attributes), and a
/// comparison on a complex attribute rewritten to its `value` sub-attribute.
pub fn resolve(
    filter: Filter,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) -> DomainResult<ResolvedFilter> {
    walk(filter, &Scope::Resource { registry, kind }).map(ResolvedFilter::new)
}

/// `path` in its canonical spelling (see [`resolve`]), whatever a filter could ask of it: the
/// attribute paths of `sortBy` and of policies' attribute lists.
pub fn canonical_path(
    path: &AttrPath,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) -> DomainResult<AttrPath> {
    resolve_path(path, &Scope::Resource { registry, kind }).map(|(path, _)| path)
}

/// Where the paths of a (sub-)filter are looked up.
enum Scope<'r> {
    Resource {
        registry: &'r SchemaRegistry,
        kind: ResourceKind,
    },
    /// Inside `attr[...]`: paths name sub-attributes of `attr`, which may be a membership.
    Element {
        parent: &'r AttributeDef,
        relation: Option<Relation>,
    },
}

impl Scope<'_> {
    /// The server's own attribute the canonical `path` names here, if it is one.
    fn server_attribute<'p>(&self, path: &'p AttrPath) -> Option<ServerAttribute<'p>> {
        match self {
            Self::Resource { kind, .. } => ServerAttribute::of(path, *kind, None),
            Self::Element { relation, .. } => {
                relation.and_then(|r| ServerAttribute::of(path, r.owner(), Some(r)))
            }
        }
    }
}

fn walk(filter: Filter, scope: &Scope<'_>) -> DomainResult<Filter> {
    Ok(match filter {
        Filter::And(l, r) => Filter::And(Box::new(walk(*l, scope)?), Box::new(walk(*r, scope)?)),
        Filter::Or(l, r) => Filter::Or(Box::new(walk(*l, scope)?), Box::new(walk(*r, scope)?)),
        Filter::Not(inner) => Filter::Not(Box::new(walk(*inner, scope)?)),
        Filter::Present(path) => {
            let (path, _) = resolve_path(&path, scope)?;
            if let Some(own) = scope.server_attribute(&path) {
                own.filterable()?;
            }
            Filter::Present(path)
        }
        Filter::Compare { path, op, value } => {
            let (mut path, mut leaf) = resolve_path(&path, scope)?;
            if leaf.ty == AttributeType::Complex {
                // RFC 7644 §3.4.2.2: a complex attribute is compared through its `value`.
                let Some(value) = leaf.sub_attribute("value") else {
                    return Err(invalid(format!(
                        "'{}' is a complex attribute without a 'value'; compare one of its \
                         sub-attributes instead",
                        short(&path)
                    )));
                };
                path.sub_attribute = Some(value.name.to_owned());
                leaf = value;
            }
            let ordering = matches!(
                op,
                CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
            );
            if ordering && matches!(leaf.ty, AttributeType::Boolean | AttributeType::Binary) {
                return Err(invalid(format!(
                    "'{}' cannot be used on '{}', a {} attribute",
                    op.as_str(),
                    short(&path),
                    leaf.ty.as_str()
                )));
            }
            let mut value = literal::typed(&short(&path), op, value, leaf)?;
            if let Some(own) = scope.server_attribute(&path) {
                value = own.compare(op, value)?;
            }
            Filter::Compare { path, op, value }
        }
        Filter::ValuePath { path, filter } => {
            let Scope::Resource { kind, .. } = scope else {
                return Err(invalid("value filters cannot be nested".into()));
            };
            let (path, leaf) = resolve_path(&path, scope)?;
            if let Some(own) = scope.server_attribute(&path) {
                own.filterable()?;
            }
            if leaf.ty != AttributeType::Complex || path.sub_attribute.is_some() {
                return Err(invalid(format!(
                    "'{}' is not a complex attribute, so it takes no '[...]' filter",
                    short(&path)
                )));
            }
            let relation = ServerAttribute::of(&path, *kind, None).and_then(|own| match own {
                ServerAttribute::Relation(relation, _) => Some(relation),
                _ => None,
            });
            let inner = walk(
                *filter,
                &Scope::Element {
                    parent: leaf,
                    relation,
                },
            )?;
            Filter::ValuePath {
                path,
                filter: Box::new(inner),
            }
        }
    })
}

/// The canonical form of `path` in `scope` and the definition of the value it points at.
fn resolve_path<'r>(
    path: &AttrPath,
    scope: &Scope<'r>,
) -> DomainResult<(AttrPath, &'r AttributeDef)> {
    let unknown = || invalid(format!("unknown attribute '{}'", shown(path, scope)));
    match scope {
        Scope::Resource { registry, kind } => {
            let found = lookup(registry, *kind, path).ok_or_else(unknown)?;
            let canonical = AttrPath {
                schema: found.schema.map(str::to_owned),
                attribute: found.attribute.name.to_owned(),
                sub_attribute: found.sub.map(|s| s.name.to_owned()),
            };
            Ok((canonical, found.leaf()))
        }
        Scope::Element { parent, .. } => {
            // Inner paths are plain sub-attribute names (RFC 7644 `valFilter`).
            if path.schema.is_some() || path.sub_attribute.is_some() {
                return Err(unknown());
            }
            let sub = parent.sub_attribute(&path.attribute).ok_or_else(unknown)?;
            Ok((AttrPath::simple(sub.name), sub))
        }
    }
}

/// `path` as the client meant it, prefixed by the bracketed attribute when inside one.
fn shown(path: &AttrPath, scope: &Scope<'_>) -> String {
    match scope {
        Scope::Resource { .. } => path.to_string(),
        Scope::Element { parent, .. } => format!("{}.{path}", parent.name),
    }
}

/// `path` without its schema URN, short enough for an error message.
fn short(path: &AttrPath) -> String {
    match &path.sub_attribute {
        Some(sub) => format!("{}.{sub}", path.attribute),
        None => path.attribute.clone(),
    }
}

fn invalid(detail: String) -> DomainError {
    DomainError::InvalidFilter(detail)
}

#[cfg(test)]
mod tests;
