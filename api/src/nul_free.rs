//! No string of a request body may contain U+0000. PostgreSQL cannot store it in `text` or
//! `jsonb` (the write would fail as a storage error), SQLite would store what PostgreSQL
//! refuses, and C-string consumers downstream would cut the value short. Every JSON body
//! passes through `scim_json::read_json`, which calls this once, so SCIM writes, Bulk,
//! `.search` and the admin API all refuse it alike, before anything reaches the domain.

use std::fmt::Write as _;

use scimgate_domain::error::DomainError;
use serde_json::Value;

/// Refuses `body` (400 `invalidValue`) when any member name or string in it holds U+0000;
/// the detail names where, e.g. `emails[0].value` or
/// `urn:…:enterprise:2.0:User:department`.
pub fn reject_nul(body: &Value) -> Result<(), DomainError> {
    let mut path = String::new();
    match find(body, &mut path, false) {
        None => Ok(()),
        Some(Found::Value) => Err(DomainError::InvalidValue(format!(
            "attribute '{path}' contains the character U+0000, which is not allowed"
        ))),
        Some(Found::Name) => Err(DomainError::InvalidValue(format!(
            "the attribute name '{path}' contains the character U+0000, which is not allowed"
        ))),
    }
}

enum Found {
    Value,
    Name,
}

/// Depth-first; on a find, `path` is where it is. `in_extension`: `value` is the object of a
/// schema URN, whose attributes SCIM writes after the URN with a colon. serde_json's nesting
/// limit bounds the depth.
fn find(value: &Value, path: &mut String, in_extension: bool) -> Option<Found> {
    match value {
        Value::String(text) => text.contains('\0').then_some(Found::Value),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            let found = find(item, path, false);
            if found.is_none() {
                path.truncate(len);
            }
            found
        }),
        Value::Object(members) => members.iter().find_map(|(name, member)| {
            let len = path.len();
            if !path.is_empty() {
                path.push(if in_extension { ':' } else { '.' });
            }
            if name.contains('\0') {
                path.extend(name.escape_debug());
                return Some(Found::Name);
            }
            path.push_str(name);
            let urn = name
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
            let found = find(member, path, urn);
            if found.is_none() {
                path.truncate(len);
            }
            found
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn detail(body: Value) -> String {
        match reject_nul(&body) {
            Err(DomainError::InvalidValue(detail)) => detail,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn clean_bodies_pass() {
        assert!(
            reject_nul(&json!({"userName": "ada", "emails": [{"value": "a@x"}], "n": 1})).is_ok()
        );
    }

    #[test]
    fn the_detail_names_the_attribute_holding_the_nul() {
        assert!(detail(json!({"displayName": "a\u{0}b"})).contains("'displayName'"));
        assert!(
            detail(json!({"emails": [{"value": "ok"}, {"value": "\u{0}"}]}))
                .contains("'emails[1].value'")
        );
        let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        assert!(
            detail(json!({enterprise: {"manager": {"value": "\u{0}"}}}))
                .contains(&format!("'{enterprise}:manager.value'"))
        );
        assert!(
            detail(json!({"Operations": [{"op": "add", "value": {"title": "x\u{0}"}}]}))
                .contains("'Operations[0].value.title'")
        );
        assert!(detail(json!({"tags": ["x", "\u{0}"]})).contains("'tags[1]'"));
    }

    #[test]
    fn a_nul_in_a_member_name_is_refused_without_echoing_it() {
        let found = detail(json!({"name": {"given\u{0}Name": "Ada"}}));
        assert!(found.contains(r"name.given\0Name"), "{found}");
        assert!(!found.contains('\0'));
    }
}
