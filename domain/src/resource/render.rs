//! Turns a stored resource into the SCIM representation a client receives.

use serde_json::{Map, Value, json};

use super::stored::StoredResource;
pub use crate::schema::common::etag;
use crate::schema::common::rendered_time;
use crate::schema::kind::ResourceKind;

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
            "created": rendered_time(resource.created),
            "lastModified": rendered_time(resource.last_modified),
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
