//! What the list commands print: one tab-separated line per row, every cell escaped, so a
//! stored value (a name a tenant admin chose, or one written before names were checked) can
//! neither add columns or rows nor reach the operator's terminal as a control sequence.

use std::borrow::Cow;
use std::fmt::Write as _;

use scimgate_domain::admin_name::is_unprintable;

/// The cell as printed: tab, newline and carriage return as `\t`, `\n`, `\r`; any other
/// unprintable character (controls, separators, bidirectional overrides) as `\u{…}`.
pub fn cell(value: &str) -> Cow<'_, str> {
    if !value.chars().any(is_unprintable) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unprintable(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of a table: the cells escaped and joined by tabs.
pub fn row(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|value| cell(value))
        .collect::<Vec<_>>()
        .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_cells_are_kept_as_they_are() {
        assert!(matches!(cell("Okta – Ünïcode 東京"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_hostile_cell_stays_one_cell_on_one_line_without_control_sequences() {
        let hostile = "ok\tforged-column\nforged-row\r\u{1b}[2J\u{9b}31m\u{202e}desrever\u{2028}";

        let line = row(&["id", hostile, "scopes"]);

        assert_eq!(line.matches('\t').count(), 2, "{line}");
        let cells: Vec<&str> = line.split('\t').collect();
        assert!(!cells[1].chars().any(is_unprintable), "{line:?}");
        assert_eq!(
            line,
            "id\tok\\tforged-column\\nforged-row\\r\\u{1b}[2J\\u{9b}31m\\u{202e}desrever\\u{2028}\tscopes"
        );
    }
}
