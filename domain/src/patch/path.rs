//! The `path` of a PATCH operation, RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`,
//! e.g. `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`,
//! `emails[type eq "work"].value`. Parsed here without the schemas, at the boundary; `target`
//! checks the names once the resource type is known.

use std::fmt;

use crate::error::{DomainError, DomainResult};
use crate::filter::{self, AttrPath, Filter};

/// A syntactically valid PATCH path, names as the client wrote them.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The attribute, possibly URN-qualified and with a sub-attribute. A bare extension URN
    /// (`urn:…:enterprise:2.0:User`) parses as schema `urn:…:enterprise:2.0` and attribute
    /// `User`; resolution recognises it, since only the schemas tell a URN from an attribute.
    pub attribute: AttrPath,
    /// The `[valFilter]`, unresolved; its paths are relative to one value of the attribute.
    pub filter: Option<Filter>,
    /// The sub-attribute after `]`, as in `emails[type eq "work"].value`.
    pub sub_attribute: Option<String>,
}

impl PatchPath {
    /// Parses `text`; a malformed attribute part is `invalidPath`, a malformed bracketed
    /// filter `invalidFilter` (RFC 7644 §3.12 names PATCH path filters under that type).
    pub fn parse(text: &str) -> DomainResult<Self> {
        let text = text.trim();
        let Some(open) = text.find('[') else {
            return Ok(Self {
                attribute: attribute(text, text)?,
                filter: None,
                sub_attribute: None,
            });
        };
        // The last `]` closes the filter: a `]` inside a quoted value comes before it, and
        // what may follow it (`.value`) contains none.
        let close = text
            .rfind(']')
            .filter(|&close| close > open)
            .ok_or_else(|| malformed(text))?;
        let (head, inner, tail) = match (
            text.get(..open),
            text.get(open + 1..close),
            text.get(close + 1..),
        ) {
            (Some(head), Some(inner), Some(tail)) => (head, inner, tail),
            _ => return Err(malformed(text)),
        };
        let attribute = attribute(head, text)?;
        if attribute.sub_attribute.is_some() {
            return Err(malformed(text));
        }
        let sub_attribute = match tail {
            "" => None,
            tail => Some(sub_attribute(tail, text)?),
        };
        Ok(Self {
            attribute,
            filter: Some(filter::parse(inner)?),
            sub_attribute,
        })
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.attribute)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub) = &self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// `[schemaURN ":"] attrName ["." subAttr]`, checked by the filter grammar's own rules: the
/// filter parser reads `<part> pr` as a presence test on exactly that path.
fn attribute(part: &str, whole: &str) -> DomainResult<AttrPath> {
    // Anything the filter lexer would split on could turn `<part> pr` into another filter.
    let plain = !part.is_empty()
        && !part
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '"'));
    if !plain {
        return Err(malformed(whole));
    }
    match filter::parse(&format!("{part} pr")) {
        Ok(Filter::Present(path)) => Ok(path),
        _ => Err(malformed(whole)),
    }
}

/// The `.name` glued to the closing `]`.
fn sub_attribute(tail: &str, whole: &str) -> DomainResult<String> {
    let name = tail.strip_prefix('.').ok_or_else(|| malformed(whole))?;
    match attribute(name, whole)? {
        AttrPath {
            schema: None,
            attribute,
            sub_attribute: None,
        } => Ok(attribute),
        _ => Err(malformed(whole)),
    }
}

fn malformed(text: &str) -> DomainError {
    DomainError::InvalidPath(format!("'{text}' is not a valid PATCH path"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::filter::{CompValue, CompareOp};

    fn parsed(text: &str) -> PatchPath {
        PatchPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn plain_dotted_and_urn_qualified_paths_parse() {
        assert_eq!(parsed("userName").attribute, AttrPath::simple("userName"));
        assert_eq!(
            parsed(" name.givenName ").attribute,
            AttrPath::with_sub("name", "givenName")
        );
        let manager =
            parsed("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
        assert_eq!(
            manager.attribute.schema.as_deref(),
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        );
        assert_eq!(manager.attribute.attribute, "manager");
        assert_eq!(manager.attribute.sub_attribute.as_deref(), Some("value"));
    }

    #[test]
    fn value_filter_paths_keep_the_filter_and_trailing_sub_attribute() {
        let path = parsed(r#"emails[type eq "wo]rk"].value"#);
        assert_eq!(path.attribute, AttrPath::simple("emails"));
        assert_eq!(
            path.filter,
            Some(Filter::Compare {
                path: AttrPath::simple("type"),
                op: CompareOp::Eq,
                value: CompValue::String("wo]rk".into()),
            })
        );
        assert_eq!(path.sub_attribute.as_deref(), Some("value"));
        assert_eq!(path.to_string(), r#"emails[type eq "wo]rk"].value"#);
    }

    #[test]
    fn malformed_paths_are_invalid_path() {
        for text in [
            "",
            "user name",
            "emails[type eq \"work\"",
            "emails[type eq \"work\"]value",
            "emails.value[type eq \"work\"]",
            "emails[type eq \"work\"].a.b",
            "1abc",
            "userName pr or id",
        ] {
            assert!(
                matches!(PatchPath::parse(text), Err(DomainError::InvalidPath(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_bracket_filter_is_invalid_filter() {
        assert!(matches!(
            PatchPath::parse("emails[type eq]"),
            Err(DomainError::InvalidFilter(_))
        ));
    }
}
