//! Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 (Figure 1), plus the
//! PATCH-style `emails[type eq "work"].value eq "x"`. Hand-written rather than combinator-based
//! because the grammar is tiny and every error should say what was expected and where.
//!
//! Precedence, loosest first: `or`, `and`, `not`/parentheses/value paths; `and` and `or` are
//! left-associative. Keywords and operators are case-insensitive.

mod words;

use self::words::{attr_path, compare_op, is_attr_name, is_keyword, word_value};
use super::ast::{AttrPath, CompValue, Filter};
use super::lexer::{Token, TokenKind, lex};
use super::{MAX_FILTER_DEPTH, MAX_FILTER_LENGTH};
use crate::error::{DomainError, DomainResult};

/// Parses a filter as written; names are checked against the schemas later, by `resolve`.
pub fn parse(input: &str) -> DomainResult<Filter> {
    let length = input.chars().count();
    if length > MAX_FILTER_LENGTH {
        return Err(DomainError::InvalidFilter(format!(
            "the filter is {length} characters long; at most {MAX_FILTER_LENGTH} are allowed"
        )));
    }
    let mut parser = Parser {
        input,
        length,
        tokens: lex(input)?,
        next: 0,
        level: 0,
    };
    if parser.tokens.is_empty() {
        return Err(DomainError::InvalidFilter("the filter is empty".into()));
    }
    let parsed = parser.or_expr(false)?;
    if parser.peek().is_some() {
        return Err(parser.expected("'and', 'or' or the end of the filter"));
    }
    Ok(parsed.filter)
}

/// A parsed sub-expression and how deeply it nests, so limits are checked as nodes are built.
struct Parsed {
    filter: Filter,
    depth: usize,
}

impl Parsed {
    fn leaf(filter: Filter) -> Self {
        Self { filter, depth: 0 }
    }
}

struct Parser<'a> {
    input: &'a str,
    /// Length of `input` in characters: the position reported at the end of the filter.
    length: usize,
    tokens: Vec<Token<'a>>,
    next: usize,
    /// Open parentheses, `not`s and brackets around the current token. Bounded while parsing
    /// so a string of 4096 `(` cannot exhaust the stack.
    level: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.next)
    }

    fn bump(&mut self) -> Option<Token<'a>> {
        let token = self.tokens.get(self.next).cloned();
        self.next += 1;
        token
    }

    fn peek_word(&self) -> Option<&'a str> {
        match self.peek()?.kind {
            TokenKind::Word(w) => Some(w),
            _ => None,
        }
    }

    /// Position of the next token, or the end of the input.
    fn pos(&self) -> usize {
        self.peek().map_or(self.length, |t| t.pos)
    }

    fn error_at(&self, pos: usize, what: &str) -> DomainError {
        if pos >= self.length {
            return DomainError::InvalidFilter(format!(
                "{what} at position {pos} (end of the filter)"
            ));
        }
        let near: String = self.input.chars().skip(pos).take(20).collect();
        DomainError::InvalidFilter(format!("{what} at position {pos} near '{near}'"))
    }

    /// "expected X" at the next token.
    fn expected(&self, what: &str) -> DomainError {
        self.error_at(self.pos(), &format!("expected {what}"))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self
            .peek_word()
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword));
        if found {
            self.next += 1;
        }
        found
    }

    fn expect(&mut self, kind: &TokenKind<'_>, what: &str) -> DomainResult<()> {
        if self.peek().is_some_and(|t| &t.kind == kind) {
            self.next += 1;
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn too_deep(&self, pos: usize) -> DomainError {
        self.error_at(
            pos,
            &format!("the filter nests deeper than {MAX_FILTER_DEPTH} levels"),
        )
    }

    /// Opens a parenthesis, `not` or bracket.
    fn enter(&mut self, pos: usize) -> DomainResult<()> {
        self.level += 1;
        if self.level > MAX_FILTER_DEPTH {
            return Err(self.too_deep(pos));
        }
        Ok(())
    }

    /// Builds a node one level above its deepest child, refusing it past the depth limit.
    fn nest(&self, pos: usize, filter: Filter, child_depth: usize) -> DomainResult<Parsed> {
        let depth = child_depth + 1;
        if depth > MAX_FILTER_DEPTH {
            return Err(self.too_deep(pos));
        }
        Ok(Parsed { filter, depth })
    }

    fn or_expr(&mut self, in_brackets: bool) -> DomainResult<Parsed> {
        let mut left = self.and_expr(in_brackets)?;
        loop {
            let pos = self.pos();
            if !self.eat_keyword("or") {
                return Ok(left);
            }
            let right = self.and_expr(in_brackets)?;
            let depth = left.depth.max(right.depth);
            let filter = Filter::Or(Box::new(left.filter), Box::new(right.filter));
            left = self.nest(pos, filter, depth)?;
        }
    }

    fn and_expr(&mut self, in_brackets: bool) -> DomainResult<Parsed> {
        let mut left = self.unary(in_brackets)?;
        loop {
            let pos = self.pos();
            if !self.eat_keyword("and") {
                return Ok(left);
            }
            let right = self.unary(in_brackets)?;
            let depth = left.depth.max(right.depth);
            let filter = Filter::And(Box::new(left.filter), Box::new(right.filter));
            left = self.nest(pos, filter, depth)?;
        }
    }

    /// `( filter )`, `not ( filter )` or an attribute expression.
    fn unary(&mut self, in_brackets: bool) -> DomainResult<Parsed> {
        let pos = self.pos();
        match self.peek().map(|t| &t.kind) {
            Some(TokenKind::LParen) => {
                // Parentheses build no node but count as a level, as the limit promises.
                let inner = self.group(pos, in_brackets)?;
                self.nest(pos, inner.filter, inner.depth)
            }
            Some(TokenKind::Word(w)) if w.eq_ignore_ascii_case("not") => {
                self.next += 1;
                if !matches!(self.peek().map(|t| &t.kind), Some(TokenKind::LParen)) {
                    return Err(self.expected("'(' after 'not' (RFC 7644 requires parentheses)"));
                }
                let inner = self.group(self.pos(), in_brackets)?;
                self.nest(pos, Filter::Not(Box::new(inner.filter)), inner.depth)
            }
            // `and`/`or` where an operand belongs: reserved, or `title pr and` would complain
            // about a missing operator after an attribute called "and".
            Some(TokenKind::Word(w))
                if w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or") =>
            {
                Err(self.expected("an attribute path, '(' or 'not'"))
            }
            Some(TokenKind::Word(w)) => {
                let word = *w;
                let path = attr_path(word).ok_or_else(|| {
                    self.error_at(pos, &format!("'{word}' is not a valid attribute path"))
                })?;
                self.next += 1;
                self.attr_expr(path, in_brackets)
            }
            _ => Err(self.expected("an attribute path, '(' or 'not'")),
        }
    }

    /// `( filter )`, with the next token being the `(`.
    fn group(&mut self, open: usize, in_brackets: bool) -> DomainResult<Parsed> {
        self.next += 1;
        self.enter(open)?;
        let inner = self.or_expr(in_brackets)?;
        self.expect(
            &TokenKind::RParen,
            &format!("')' to close the '(' at position {open}"),
        )?;
        self.level -= 1;
        Ok(inner)
    }

    /// What follows an attribute path: `pr`, `op value`, or `[valFilter]` and optionally the
    /// PATCH-style `.subAttr op value`.
    fn attr_expr(&mut self, path: AttrPath, in_brackets: bool) -> DomainResult<Parsed> {
        if !matches!(self.peek().map(|t| &t.kind), Some(TokenKind::LBracket)) {
            return self.operation(path).map(Parsed::leaf);
        }
        let open = self.pos();
        if in_brackets {
            return Err(self.error_at(open, "value filters cannot be nested ('[' inside '[...]')"));
        }
        self.next += 1;
        self.enter(open)?;
        let mut inner = self.or_expr(true)?;
        self.expect(
            &TokenKind::RBracket,
            &format!("']' to close the '[' at position {open}"),
        )?;
        self.level -= 1;
        if let Some(sub) = self.trailing_sub_attribute()? {
            let trailing = self.operation(sub)?;
            let both = Filter::And(Box::new(inner.filter), Box::new(trailing));
            inner = self.nest(open, both, inner.depth)?;
        }
        let filter = Filter::ValuePath {
            path,
            filter: Box::new(inner.filter),
        };
        self.nest(open, filter, inner.depth)
    }

    /// The `.value` glued to a closing `]`, as a path relative to the bracketed element.
    fn trailing_sub_attribute(&mut self) -> DomainResult<Option<AttrPath>> {
        let Some(token) = self.peek() else {
            return Ok(None);
        };
        let (TokenKind::Word(word), true) = (&token.kind, token.glued) else {
            return Ok(None);
        };
        let Some(name) = word.strip_prefix('.') else {
            return Ok(None);
        };
        if !is_attr_name(name) {
            return Err(self.error_at(
                token.pos,
                &format!("'{name}' after ']' is not a valid sub-attribute name"),
            ));
        }
        // It joins the bracket, where `and`, `or` and `not` are keywords: accepting them here
        // would make a filter whose canonical print does not parse.
        if is_keyword(name) {
            return Err(self.error_at(
                token.pos,
                &format!("'{name}' after ']' is a keyword, not a sub-attribute name"),
            ));
        }
        self.next += 1;
        Ok(Some(AttrPath::simple(name)))
    }

    /// `pr` or `compareOp compValue` after `path`.
    fn operation(&mut self, path: AttrPath) -> DomainResult<Filter> {
        if self.eat_keyword("pr") {
            return Ok(Filter::Present(path));
        }
        let op = self.peek_word().and_then(compare_op).ok_or_else(|| {
            self.expected("a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or 'pr'")
        })?;
        self.next += 1;
        let value = self.value()?;
        Ok(Filter::Compare { path, op, value })
    }

    fn value(&mut self) -> DomainResult<CompValue> {
        let value = match self.peek().map(|t| &t.kind) {
            Some(TokenKind::Str(s)) => Some(CompValue::String(s.clone())),
            Some(TokenKind::Word(w)) => word_value(w),
            _ => None,
        };
        let value = value.ok_or_else(|| {
            self.expected("a value (a string in double quotes, a number, true, false or null)")
        })?;
        self.bump();
        Ok(value)
    }
}

#[cfg(test)]
mod tests;
