//! SCIM filters (RFC 7644 §3.4.2.2): parsed at the boundary into an AST, resolved against the
//! schemas so only known attributes travel inwards, printed back canonically, and evaluated
//! in memory against rendered resources.

pub mod ast;
mod compare;
mod eval;
mod lexer;
mod literal;
mod parser;
mod print;
mod resolve;
mod resolved;

pub use ast::*;
pub use eval::matches;
pub use parser::parse;
pub use resolve::{ResolvedAttr, canonical_path, lookup, resolve};
pub use resolved::ResolvedFilter;

/// Longest filter accepted, in characters; advertised with the other limits.
pub const MAX_FILTER_LENGTH: usize = 4096;

/// Deepest nesting accepted: every `and`/`or` node, `not (...)`, pair of parentheses and value
/// path `[...]` adds a level. Everything that walks the AST recurses, so this bounds the stack.
pub const MAX_FILTER_DEPTH: usize = 32;
