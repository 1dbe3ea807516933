//! Turns a stored resource into the SCIM representation a client receives.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::stored::StoredResource;
use crate::schema::kind::ResourceKind;

/// The entity tag of a version, as `meta.version` and the `ETag` header carry it.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// The version an entity tag names: `W/"3"` as [`etag`] writes it, also `"3"` or `3`.
pub fn version_of(tag: &str) -> Option<i64> {
    let strong = tag.strip_prefix("W/").unwrap_or(tag);
    let number = strong
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(strong);
    number.parse().ok()
}

/// The resource `text` names as an `id`: only in the spelling ids are rendered in (lowercase,
/// hyphenated), as `id` is caseExact (RFC 7643 §3.1).
pub fn id_of(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text)
        .ok()
        .filter(|id| id.to_string() == text)
}

/// The resource's URL under `base_url` (the SCIM base the request came through).
pub fn location(base_url: &str, kind: ResourceKind, id: &str) -> String {
    format!("{base_url}{}/{id}", kind.endpoint())
}

/// The full representation: stored attributes plus `id`, `meta` and the relations.
pub fn render(resource: &StoredResource, base_url: &str) -> Value {
    let id = resource.id.to_string();
    let mut out = Map::new();
    let schemas = resource
        .document
        .get("schemas")
        .cloned()
        .unwrap_or_else(|| json!([resource.kind.core_schema()]));
    out.insert("schemas".into(), schemas);
    out.insert("id".into(), Value::String(id.clone()));
    for (key, value) in &resource.document {
        if key != "schemas" {
            out.insert(key.clone(), value.clone());
        }
    }
    match resource.kind {
        ResourceKind::Group if !resource.members.is_empty() => {
            let members = resource.members.iter().map(|m| {
                let member_id = m.id.to_string();
                let mut entry = json!({
                    "value": member_id,
                    "$ref": location(base_url, m.kind, &member_id),
                    "type": m.kind.name(),
                });
                if let (Some(display), Some(obj)) = (&m.display, entry.as_object_mut()) {
                    obj.insert("display".into(), Value::String(display.clone()));
                }
                entry
            });
            out.insert("members".into(), Value::Array(members.collect()));
        }
        ResourceKind::User if !resource.groups.is_empty() => {
            let groups = resource.groups.iter().map(|g| {
                let group_id = g.group_id.to_string();
                let mut entry = json!({
                    "value": group_id,
                    "$ref": location(base_url, ResourceKind::Group, &group_id),
                    "type": if g.direct { "direct" } else { "indirect" },
                });
                if let (Some(display), Some(obj)) = (&g.display, entry.as_object_mut()) {
                    obj.insert("display".into(), Value::String(display.clone()));
                }
                entry
            });
            out.insert("groups".into(), Value::Array(groups.collect()));
        }
        _ => {}
    }
    out.insert(
        "meta".into(),
        json!({
            "resourceType": resource.kind.name(),
            "created": resource.created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "lastModified": resource.last_modified.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "location": location(base_url, resource.kind, &id),
            "version": etag(resource.version),
        }),
    );
    Value::Object(out)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use super::*;
    use crate::resource::stored::Member;
    use chrono::Utc;
    use uuid::Uuid;

    fn group_with_member(member: Uuid) -> StoredResource {
        let mut document = Map::new();
        document.insert("schemas".into(), json!([ResourceKind::Group.core_schema()]));
        document.insert("displayName".into(), json!("Admins"));
        StoredResource {
            id: Uuid::now_v7(),
            kind: ResourceKind::Group,
            version: 3,
            created: Utc::now(),
            last_modified: Utc::now(),
            document,
            members: vec![Member {
                id: member,
                kind: ResourceKind::User,
                display: Some("ada".into()),
            }],
            groups: vec![],
        }
    }

    #[test]
    fn id_of_takes_only_the_rendered_spelling() {
        let id = Uuid::now_v7();
        assert_eq!(id_of(&id.to_string()), Some(id));
        for other in [
            id.to_string().to_uppercase(),
            id.simple().to_string(),
            "ada".into(),
        ] {
            assert_eq!(id_of(&other), None, "{other}");
        }
    }

    #[test]
    fn version_of_reads_what_etag_writes_and_bare_numbers() {
        assert_eq!(version_of(&etag(42)), Some(42));
        for tag in ["W/\"7\"", "\"7\"", "7"] {
            assert_eq!(version_of(tag), Some(7), "{tag}");
        }
        for tag in ["W/7\"", "w/\"7\"", "v7", "", "W/\"\""] {
            assert_eq!(version_of(tag), None, "{tag}");
        }
    }

    #[test]
    fn render_adds_meta_with_location_and_version() {
        let group = group_with_member(Uuid::now_v7());
        let out = render(&group, "https://x/t/a/scim/v2");
        assert_eq!(out["meta"]["resourceType"], "Group");
        assert_eq!(out["meta"]["version"], "W/\"3\"");
        assert_eq!(
            out["meta"]["location"],
            format!("https://x/t/a/scim/v2/Groups/{}", group.id)
        );
        assert_eq!(out["id"], group.id.to_string());
    }

    #[test]
    fn render_lists_members_with_type_and_ref() {
        let member = Uuid::now_v7();
        let out = render(&group_with_member(member), "http://h/scim/v2");
        assert_eq!(out["members"][0]["value"], member.to_string());
        assert_eq!(out["members"][0]["type"], "User");
        assert_eq!(out["members"][0]["display"], "ada");
        assert_eq!(
            out["members"][0]["$ref"],
            format!("http://h/scim/v2/Users/{member}")
        );
    }
}
