//! Splits a filter into tokens. The grammar has only brackets, quoted strings and "words"
//! (attribute paths, operators, keywords, numbers, `true`/`false`/`null`), so the lexer does
//! not decide what a word means: the parser does, from where the word stands. Positions are
//! counted in characters, which is what a client sees in its own string.

use crate::error::{DomainError, DomainResult};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TokenKind<'a> {
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// A run of characters up to whitespace, a bracket or a quote.
    Word(&'a str),
    /// A JSON string literal, already unescaped.
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token<'a> {
    pub kind: TokenKind<'a>,
    /// Character offset of the token's first character.
    pub pos: usize,
    /// No whitespace between this token and the previous one; `emails[...].value` needs it to
    /// tell the trailing sub-attribute from a new expression.
    pub glued: bool,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '"')
}

/// The tokens of `input`, or an error for a string literal that is unterminated or not valid
/// JSON.
pub(super) fn lex(input: &str) -> DomainResult<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    // Byte and character offsets advance together so slices stay on char boundaries while
    // messages report the character position.
    let mut chars = input.char_indices().enumerate().peekable();
    let mut glued = false;
    while let Some((pos, (start, c))) = chars.next() {
        let kind = match c {
            c if c.is_whitespace() => {
                glued = false;
                continue;
            }
            '(' => TokenKind::LParen,
            ')' => TokenKind::RParen,
            '[' => TokenKind::LBracket,
            ']' => TokenKind::RBracket,
            '"' => {
                let mut escaped = false;
                let mut end = None;
                for (_, (i, c)) in chars.by_ref() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        _ => {}
                    }
                }
                let Some(end) = end else {
                    return Err(DomainError::InvalidFilter(format!(
                        "unterminated string starting at position {pos}"
                    )));
                };
                let literal = input.get(start..end).unwrap_or_default();
                let text = serde_json::from_str::<String>(literal).map_err(|e| {
                    DomainError::InvalidFilter(format!(
                        "invalid string starting at position {pos}: {e}"
                    ))
                })?;
                // No store can hold U+0000 (PostgreSQL refuses it in text), so no stored
                // value can equal it; refused here like a NUL in a request body.
                if text.contains('\0') {
                    return Err(DomainError::InvalidFilter(format!(
                        "the string starting at position {pos} contains U+0000"
                    )));
                }
                TokenKind::Str(text)
            }
            _ => {
                let mut end = start + c.len_utf8();
                while let Some(&(_, (i, c))) = chars.peek() {
                    if is_separator(c) {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                TokenKind::Word(input.get(start..end).unwrap_or_default())
            }
        };
        tokens.push(Token { kind, pos, glued });
        glued = true;
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<TokenKind<'_>> {
        lex(input).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn splits_words_brackets_and_strings() {
        assert_eq!(
            kinds(r#"emails[type eq "work"].value"#),
            [
                TokenKind::Word("emails"),
                TokenKind::LBracket,
                TokenKind::Word("type"),
                TokenKind::Word("eq"),
                TokenKind::Str("work".into()),
                TokenKind::RBracket,
                TokenKind::Word(".value"),
            ]
        );
    }

    #[test]
    fn positions_count_characters_and_glue_tracks_whitespace() {
        let tokens = lex("é eq\t\"ü\"x").unwrap();
        let pos: Vec<_> = tokens.iter().map(|t| (t.pos, t.glued)).collect();
        assert_eq!(pos, [(0, false), (2, false), (5, false), (8, true)]);
    }

    #[test]
    fn strings_honour_json_escapes() {
        assert_eq!(
            kinds(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#),
            [TokenKind::Str("a\"b\\c/d\né😀".into())]
        );
    }

    #[test]
    fn unterminated_and_invalid_strings_are_errors() {
        for input in [
            r#"a eq "x"#,
            r#"a eq "x\"#,
            r#"a eq "\q""#,
            "a eq \"\\ud800\"",
            r#"a eq "x\u0000""#,
        ] {
            assert!(
                matches!(lex(input), Err(DomainError::InvalidFilter(_))),
                "{input}"
            );
        }
    }
}
