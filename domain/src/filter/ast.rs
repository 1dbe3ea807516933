//! The typed form of a SCIM filter (RFC 7644 §3.4.2.2). Parsing produces it with the names as
//! written; `resolve` checks every path against the schema registry and canonicalises it, so
//! later stages (SQL, evaluator) only ever see known attributes.

use serde_json::Number;

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `attrPath op value`
    Compare {
        path: AttrPath,
        op: CompareOp,
        value: CompValue,
    },
    /// `attrPath pr`
    Present(AttrPath),
    /// `attrPath[valFilter]`: some element of the (multi-valued) complex attribute matches
    /// `filter`, whose paths are relative to that element (`emails[type eq "work"]`).
    /// `emails[type eq "work"].value eq "x"` is written as a `ValuePath` whose filter is the
    /// conjunction of the bracket and the trailing comparison on the same element.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// `[schemaURN ":"] attribute ["." subAttribute]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// The schema URN when the path was written fully qualified (canonical after resolution:
    /// always set, to the schema that defines the attribute; `None` for common attributes
    /// `id`, `externalId`, `meta`).
    pub schema: Option<String>,
    pub attribute: String,
    pub sub_attribute: Option<String>,
}

impl AttrPath {
    pub fn simple(attribute: &str) -> Self {
        Self {
            schema: None,
            attribute: attribute.to_owned(),
            sub_attribute: None,
        }
    }

    pub fn with_sub(attribute: &str, sub_attribute: &str) -> Self {
        Self {
            schema: None,
            attribute: attribute.to_owned(),
            sub_attribute: Some(sub_attribute.to_owned()),
        }
    }
}

/// The comparison operators; `pr` is [`Filter::Present`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    /// Every operator, in RFC 7644's order.
    pub const ALL: [Self; 9] = [
        Self::Eq,
        Self::Ne,
        Self::Co,
        Self::Sw,
        Self::Ew,
        Self::Gt,
        Self::Ge,
        Self::Lt,
        Self::Le,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

/// `compValue = false / null / true / number / string`.
#[derive(Debug, Clone, PartialEq)]
pub enum CompValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
}
