//! The canonical text of a filter: it parses back to an equal AST, so it can key caches and
//! bind paging cursors to the query that produced them. Parentheses appear only where
//! precedence or the left-associativity of `and`/`or` needs them. The text may exceed the
//! parser's limits (resolution spells every path with its schema URN, and a `].value`
//! comparison after an `or` needs parentheses), so it is never parsed back in the service.

use std::fmt;

use super::ast::{AttrPath, CompValue, Filter};

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `and` binds tighter than `or`; either chain leans left, so a right operand of
            // the same operator needs parentheses too.
            Self::And(left, right) => {
                operand(f, left, matches!(**left, Self::Or(..)))?;
                f.write_str(" and ")?;
                operand(f, right, matches!(**right, Self::Or(..) | Self::And(..)))
            }
            Self::Or(left, right) => {
                operand(f, left, false)?;
                f.write_str(" or ")?;
                operand(f, right, matches!(**right, Self::Or(..)))
            }
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::Compare { path, op, value } => write!(f, "{path} {} {value}", op.as_str()),
            Self::Present(path) => write!(f, "{path} pr"),
            Self::ValuePath { path, filter } => write!(f, "{path}[{filter}]"),
        }
    }
}

fn operand(f: &mut fmt::Formatter<'_>, filter: &Filter, parenthesise: bool) -> fmt::Result {
    if parenthesise {
        write!(f, "({filter})")
    } else {
        write!(f, "{filter}")
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}:")?;
        }
        f.write_str(&self.attribute)?;
        if let Some(sub) = &self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

impl fmt::Display for CompValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            // serde_json writes exactly the JSON string syntax the parser reads.
            Self::String(s) => f.write_str(&serde_json::to_string(s).map_err(|_| fmt::Error)?),
        }
    }
}

#[cfg(test)]
mod tests;
