//! Checks every write makes before touching storage: `If-Match` preconditions and the member
//! list a Group document carries.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};

/// `If-Match` (RFC 7644 §3.14): `*` or one of the listed tags must name the current version.
pub fn check_if_match(if_match: Option<&str>, version: i64) -> DomainResult<()> {
    let Some(header) = if_match else {
        return Ok(());
    };
    let current = crate::resource::render::etag(version);
    let strong = current.trim_start_matches("W/");
    let matches = header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current || tag.trim_start_matches("W/") == strong);
    if matches {
        Ok(())
    } else {
        Err(DomainError::PreconditionFailed(format!(
            "If-Match {header} does not match the current version {current}"
        )))
    }
}

/// Moves `members` out of a group document: membership lives in its own table.
pub fn take_member_ids(
    document: &mut Map<String, Value>,
    group_id: Uuid,
) -> DomainResult<Vec<Uuid>> {
    let Some(Value::Array(members)) = document.remove("members") else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::with_capacity(members.len());
    for member in &members {
        let raw = member
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let id = Uuid::parse_str(raw).map_err(|_| {
            DomainError::InvalidValue(format!("member '{raw}' is not a resource of this tenant"))
        })?;
        if id == group_id {
            return Err(DomainError::InvalidValue(
                "a group cannot be its own member".into(),
            ));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_current_weak_or_strong_tag_and_star() {
        assert!(check_if_match(Some("W/\"4\""), 4).is_ok());
        assert!(check_if_match(Some("\"4\""), 4).is_ok());
        assert!(check_if_match(Some("W/\"1\", *"), 4).is_ok());
        assert!(matches!(
            check_if_match(Some("W/\"3\""), 4),
            Err(DomainError::PreconditionFailed(_))
        ));
    }

    #[test]
    fn member_ids_are_taken_out_and_deduplicated() {
        let a = Uuid::now_v7();
        let mut doc = Map::new();
        doc.insert(
            "members".into(),
            serde_json::json!([{"value": a.to_string()}, {"value": a.to_string()}]),
        );
        let ids = take_member_ids(&mut doc, Uuid::now_v7()).unwrap();
        assert_eq!(ids, vec![a]);
        assert!(!doc.contains_key("members"));
    }

    #[test]
    fn member_that_is_no_uuid_is_invalid_value() {
        let mut doc = Map::new();
        doc.insert("members".into(), serde_json::json!([{"value": "nope"}]));
        assert!(matches!(
            take_member_ids(&mut doc, Uuid::now_v7()),
            Err(DomainError::InvalidValue(_))
        ));
    }
}
