//! Checks every write makes before touching storage: `If-Match` preconditions and the member
//! list a Group document carries (taken out of it, or compared as one attribute).

use std::borrow::Cow;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::authz::Grant;
use crate::error::{DomainError, DomainResult};
use crate::resource::stored::StoredResource;
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;

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

/// The stored document a PUT is compared with. Members live outside documents, so for a
/// caller that may not write `members` the group's members it sees are put in, and the body's
/// members made comparable: they are then carried when not sent and refused when sent
/// different, like any other unwritable attribute.
pub fn before_replace<'a>(
    grant: &Grant,
    registry: &SchemaRegistry,
    existing: &'a StoredResource,
    input: &mut Map<String, Value>,
) -> Cow<'a, Map<String, Value>> {
    let kind = existing.kind;
    if kind != ResourceKind::Group
        || grant
            .may_write_core(Relation::Members.attribute(), registry, kind)
            .is_ok()
    {
        return Cow::Borrowed(&existing.document);
    }
    members_as_attribute(input);
    let mut before = existing.document.clone();
    expose_members(&mut before, existing.members.iter().map(|m| m.id));
    Cow::Owned(before)
}

/// `members` as one comparable attribute, `[{"value": "<id>"}, …]` sorted and without
/// duplicates (absent when empty, as canonicalisation drops empty lists), so a PUT by a caller
/// that may not write `members` carries and compares it like any other such attribute
/// (`Grant::carry_unwritable`, `Grant::check_write`): what the client adds beside `value`
/// (`display`, `type`, `$ref`) is the server's and is ignored, and ids are compared as ids.
pub fn members_as_attribute(document: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = document.remove("members") else {
        return;
    };
    let values = members.iter().map(|member| {
        let raw = member
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Uuid::parse_str(raw).map_or_else(|_| raw.to_owned(), |id| id.to_string())
    });
    set_members(document, values);
}

/// Puts the stored members `ids` in `document` in the form [`members_as_attribute`] gives.
pub fn expose_members(document: &mut Map<String, Value>, ids: impl IntoIterator<Item = Uuid>) {
    set_members(document, ids.into_iter().map(|id| id.to_string()));
}

fn set_members(document: &mut Map<String, Value>, values: impl Iterator<Item = String>) {
    let values: std::collections::BTreeSet<String> = values.collect();
    if values.is_empty() {
        document.remove("members");
        return;
    }
    let members = values.into_iter().map(|v| serde_json::json!({"value": v}));
    document.insert("members".into(), Value::Array(members.collect()));
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

    #[test]
    fn members_compare_as_sets_of_ids_whatever_the_client_adds() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let mut sent = Map::new();
        sent.insert(
            "members".into(),
            serde_json::json!([
                {"value": b.to_string().to_uppercase(), "display": "x", "type": "User"},
                {"value": a.to_string()},
                {"value": b.to_string()}
            ]),
        );
        members_as_attribute(&mut sent);
        let mut stored = Map::new();
        expose_members(&mut stored, [a, b]);
        assert_eq!(sent, stored);
        let mut none = Map::new();
        expose_members(&mut none, []);
        assert!(!none.contains_key("members"));
    }
}
