//! Resolves a [`PatchPath`] against the schemas of the resource type being patched: canonical
//! names, the object that holds the attribute, and the value filter resolved relative to one
//! value of the attribute.

use crate::error::{DomainError, DomainResult};
use crate::filter::{self, AttrPath, Filter, ResolvedFilter};
use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeDef, AttributeType, SchemaDef, SchemaRegistry};

use super::path::PatchPath;

/// The resource type being patched.
#[derive(Debug, Clone, Copy)]
pub(super) struct ResourceType<'r> {
    pub registry: &'r SchemaRegistry,
    pub kind: ResourceKind,
}

impl<'r> ResourceType<'r> {
    /// The extension of this resource type whose URN is `urn`, ignoring case.
    pub fn extension(&self, urn: &str) -> Option<&'r SchemaDef> {
        self.registry
            .extensions(self.kind)
            .find(|ext| ext.id.eq_ignore_ascii_case(urn))
    }
}

/// What a path designates.
#[derive(Debug)]
pub(super) enum Target<'r> {
    /// A whole extension object, e.g. `urn:…:enterprise:2.0:User`.
    Extension(&'r SchemaDef),
    Attribute(AttrTarget<'r>),
}

/// An attribute, one of its sub-attributes, or some of its values.
#[derive(Debug, Clone)]
pub(super) struct AttrTarget<'r> {
    /// The extension URN whose object holds the attribute; `None` for core and common
    /// attributes, which sit at the top of the document.
    pub container: Option<&'static str>,
    pub attr: &'r AttributeDef,
    pub sub: Option<&'r AttributeDef>,
    /// The resolved `attr[filter]` as a whole, ready for `filter::matches`.
    pub filter: Option<ResolvedFilter>,
}

impl<'r> AttrTarget<'r> {
    /// The attribute `attr` of `container`, whole.
    pub fn whole(container: Option<&'static str>, attr: &'r AttributeDef) -> Self {
        Self {
            container,
            attr,
            sub: None,
            filter: None,
        }
    }

    /// The bracketed filter, its paths relative to one value of the attribute.
    pub fn value_filter(&self) -> Option<&Filter> {
        match self.filter.as_deref() {
            Some(Filter::ValuePath { filter, .. }) => Some(filter),
            _ => None,
        }
    }

    /// The canonical path, for error details.
    pub fn name(&self) -> String {
        let prefix = self
            .container
            .map(|urn| format!("{urn}:"))
            .unwrap_or_default();
        let filter = match self.value_filter() {
            Some(filter) => format!("[{filter}]"),
            None => String::new(),
        };
        let sub = self.sub.map(|s| format!(".{}", s.name)).unwrap_or_default();
        format!("{prefix}{}{filter}{sub}", self.attr.name)
    }
}

/// The target of `path`; an attribute the resource type does not have is `invalidPath`.
pub(super) fn resolve_target<'r>(
    ty: ResourceType<'r>,
    path: &PatchPath,
) -> DomainResult<Target<'r>> {
    if let Some(ext) = whole_extension(ty, path) {
        return Ok(Target::Extension(ext));
    }
    let unknown = || DomainError::InvalidPath(format!("unknown attribute in path '{path}'"));
    let found = filter::lookup(ty.registry, ty.kind, &path.attribute).ok_or_else(unknown)?;
    let core = ty.kind.core_schema();
    let container = found.schema.filter(|urn| *urn != core);
    let Some(inner) = &path.filter else {
        return Ok(Target::Attribute(AttrTarget {
            container,
            attr: found.attribute,
            sub: found.sub,
            filter: None,
        }));
    };
    let attr = found.attribute;
    if attr.ty != AttributeType::Complex || !attr.multi_valued {
        return Err(DomainError::InvalidPath(format!(
            "'{}' is not a multi-valued complex attribute, so it takes no '[...]' filter",
            attr.name
        )));
    }
    let sub = match &path.sub_attribute {
        Some(name) => Some(attr.sub_attribute(name).ok_or_else(unknown)?),
        None => None,
    };
    let canonical = AttrPath {
        schema: found.schema.map(str::to_owned),
        attribute: attr.name.to_owned(),
        sub_attribute: None,
    };
    let whole = Filter::ValuePath {
        path: canonical,
        filter: Box::new(inner.clone()),
    };
    Ok(Target::Attribute(AttrTarget {
        container,
        attr,
        sub,
        filter: Some(filter::resolve(whole, ty.registry, ty.kind)?),
    }))
}

/// The extension a bare URN path names (see [`PatchPath::attribute`]).
fn whole_extension<'r>(ty: ResourceType<'r>, path: &PatchPath) -> Option<&'r SchemaDef> {
    let attribute = &path.attribute;
    if path.filter.is_some() || attribute.sub_attribute.is_some() {
        return None;
    }
    let schema = attribute.schema.as_deref()?;
    ty.extension(&format!("{schema}:{}", attribute.attribute))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::LazyLock;

    use super::*;
    use crate::schema::kind::ENTERPRISE_USER_SCHEMA;

    static REGISTRY: LazyLock<SchemaRegistry> = LazyLock::new(SchemaRegistry::standard);

    fn user(text: &str) -> DomainResult<Target<'static>> {
        let ty = ResourceType {
            registry: &REGISTRY,
            kind: ResourceKind::User,
        };
        resolve_target(ty, &PatchPath::parse(text)?)
    }

    fn attr(text: &str) -> AttrTarget<'static> {
        match user(text) {
            Ok(Target::Attribute(target)) => target,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn names_resolve_case_insensitively_to_their_container() {
        let given = attr("NAME.GIVENNAME");
        assert_eq!((given.container, given.attr.name), (None, "name"));
        assert_eq!(given.sub.map(|s| s.name), Some("givenName"));
        let manager =
            attr("urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:Manager.Value");
        assert_eq!(manager.container, Some(ENTERPRISE_USER_SCHEMA));
        assert_eq!(
            manager.name(),
            format!("{ENTERPRISE_USER_SCHEMA}:manager.value")
        );
        assert_eq!(attr("department").container, Some(ENTERPRISE_USER_SCHEMA));
        assert_eq!(
            attr("urn:ietf:params:scim:schemas:core:2.0:User:userName").container,
            None
        );
    }

    #[test]
    fn bare_extension_urn_is_the_whole_extension() {
        let target = user("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        assert!(matches!(target, Ok(Target::Extension(s)) if s.id == ENTERPRISE_USER_SCHEMA));
    }

    #[test]
    fn value_filter_resolves_relative_to_the_element() {
        let target = attr(r#"EMAILS[TYPE eq "work"].VALUE"#);
        assert_eq!(target.name(), r#"emails[type eq "work"].value"#);
        assert_eq!(target.sub.map(|s| s.name), Some("value"));
    }

    #[test]
    fn unknown_attributes_are_invalid_path() {
        for text in [
            "nope",
            "name.nope",
            r#"emails[type eq "work"].nope"#,
            "urn:x:y:title",
        ] {
            assert!(
                matches!(user(text), Err(DomainError::InvalidPath(_))),
                "{text}"
            );
        }
        assert!(matches!(
            user(r#"userName[value eq "x"]"#),
            Err(DomainError::InvalidPath(_))
        ));
        assert!(matches!(
            user(r#"emails[nope eq "x"]"#),
            Err(DomainError::InvalidFilter(_))
        ));
    }
}
