//! The names admins give tenants, tokens and OAuth clients. Tenant admins choose them and the
//! operator reads them in CLI tables and terminals, so a name holds nothing a terminal or a
//! table would act on instead of showing: control characters (a newline forges a row, an
//! escape sequence drives the operator's terminal), line and paragraph separators, and
//! bidirectional overrides (which reorder what is shown).

use crate::error::{DomainError, DomainResult};

/// A name fit to print as it is. Names stored before this check existed are still read as
/// plain strings; whatever prints them escapes them (see `api/src/cli/table.rs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminName(String);

impl AdminName {
    /// Refuses a name holding an unprintable character (400 `invalidValue`), naming it.
    pub fn parse(raw: impl Into<String>) -> DomainResult<Self> {
        let raw = raw.into();
        match raw.chars().find(|c| is_unprintable(*c)) {
            Some(found) => Err(DomainError::InvalidValue(format!(
                "name must not contain control characters, line separators or bidirectional overrides (found U+{:04X})",
                u32::from(found)
            ))),
            None => Ok(Self(raw)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Characters a terminal or a table acts on instead of showing: Unicode controls (C0, DEL,
/// C1), line and paragraph separators, bidirectional embeddings, overrides and isolates.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_script_with_punctuation_are_accepted() {
        for good in [
            "",
            "Okta sync",
            "Überweisung – Partner #2",
            "東京 IdP",
            "مزامنة",
            "a\\b",
        ] {
            assert_eq!(AdminName::parse(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn controls_separators_and_bidi_overrides_are_refused_by_code_point() {
        for (bad, code) in [
            ("x\u{1b}[2J", "U+001B"),
            ("row\nforged", "U+000A"),
            ("col\tforged", "U+0009"),
            ("nul\0", "U+0000"),
            ("c1\u{9b}31m", "U+009B"),
            ("del\u{7f}", "U+007F"),
            ("line\u{2028}", "U+2028"),
            ("abc\u{202E}fed", "U+202E"),
            ("iso\u{2066}late", "U+2066"),
        ] {
            let err = AdminName::parse(bad).unwrap_err();
            assert!(
                matches!(&err, DomainError::InvalidValue(detail) if detail.contains(code)),
                "{bad:?}: {err}"
            );
        }
    }
}
