//! From a write to its events. The service describes the write (`EventDraft`) before the store
//! runs it; the store, inside the write's transaction, adds what only it knows (the version
//! written, which members really joined or left) and numbers the events it gets back.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::kind::Operation;
use crate::audit::AuditEntry;
use crate::schema::kind::ResourceKind;

/// Most member ids one event carries; a larger change continues in following events of the
/// same transaction, so no event grows without bound and no id is dropped.
pub const MEMBERS_PER_EVENT: usize = 1000;

/// The members a write really added to or removed from a group (its net change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDiff {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Uuid>,
}

impl MemberDiff {
    /// The change from member set `before` to `after` (each id once, in `after`'s order).
    pub fn between(before: &[Uuid], after: &[Uuid]) -> Self {
        let old: HashSet<Uuid> = before.iter().copied().collect();
        let new: HashSet<Uuid> = after.iter().copied().collect();
        let mut seen = HashSet::new();
        Self {
            added: after
                .iter()
                .copied()
                .filter(|id| !old.contains(id) && seen.insert(*id))
                .collect(),
            removed: before
                .iter()
                .copied()
                .filter(|id| !new.contains(id) && seen.insert(*id))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// What changed in a resource's document: the attribute paths (extension attributes as
/// `urn:...:User:department`), their previous values (JSON null where there was none), and
/// whether `active` flipped. Passwords are named, never valued.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub attributes: Vec<String>,
    pub previous: Map<String, Value>,
    pub activation: Option<Operation>,
}

impl Changes {
    pub fn between(
        before: &Map<String, Value>,
        after: &Map<String, Value>,
        password_set: bool,
    ) -> Self {
        let mut changes = Self::default();
        let keys = before
            .keys()
            .chain(after.keys().filter(|k| !before.contains_key(*k)));
        for key in keys.filter(|k| *k != "schemas") {
            let (old, new) = (before.get(key), after.get(key));
            match (old, new) {
                (Some(Value::Object(old)), Some(Value::Object(new))) if key.starts_with("urn:") => {
                    let inner = old
                        .keys()
                        .chain(new.keys().filter(|k| !old.contains_key(*k)));
                    for sub in inner {
                        changes.note(format!("{key}:{sub}"), old.get(sub), new.get(sub));
                    }
                }
                _ => changes.note(key.clone(), old, new),
            }
        }
        if password_set {
            changes.attributes.push("password".into());
        }
        let active = |doc: &Map<String, Value>| doc.get("active").and_then(Value::as_bool);
        changes.activation = match (active(before), active(after)) {
            (old, Some(true)) if old != Some(true) => Some(Operation::Activate),
            (old, Some(false)) if old != Some(false) => Some(Operation::Deactivate),
            _ => None,
        };
        changes
    }

    /// What a new resource sets: every attribute it carries, nothing previous.
    pub fn created(document: &Map<String, Value>, password_set: bool) -> Self {
        let mut attributes: Vec<String> = document
            .keys()
            .filter(|k| *k != "schemas")
            .cloned()
            .collect();
        if password_set {
            attributes.push("password".into());
        }
        Self {
            attributes,
            ..Self::default()
        }
    }

    fn note(&mut self, path: String, old: Option<&Value>, new: Option<&Value>) {
        if old != new {
            self.previous
                .insert(path.clone(), old.cloned().unwrap_or(Value::Null));
            self.attributes.push(path);
        }
    }
}

/// A write as the service describes it to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    /// Shared by every event of this write (RFC 8417 `txn`).
    pub txn: Uuid,
    /// Create, Put, Patch or Delete.
    pub operation: Operation,
    pub kind: ResourceKind,
    pub resource_id: Uuid,
    pub external_id: Option<String>,
    /// Token id, OAuth client id or `operator`: who wrote.
    pub actor: String,
    pub request_id: Option<String>,
    pub at: DateTime<Utc>,
    /// The document after the write, for full events (none for a delete).
    pub resource: Option<Map<String, Value>>,
    pub changes: Changes,
    /// The write's audit entry as it reads when the write succeeds: the store keeps it in the
    /// write's transaction, so a committed write has its entry and a rolled-back one none.
    pub audit: Option<AuditEntry>,
}

/// What an event carries besides its header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventPayload {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    #[serde(
        rename = "previousAttributes",
        default,
        skip_serializing_if = "Map::is_empty"
    )]
    pub previous: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "MemberDiff::is_empty")]
    pub members: MemberDiff,
}

/// One event the store is about to number and write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// The consumer's idempotency key (webhook id, SET `jti`).
    pub id: Uuid,
    pub txn: Uuid,
    pub operation: Operation,
    pub kind: ResourceKind,
    pub resource_id: Uuid,
    pub external_id: Option<String>,
    /// The resource's version after the write (for a delete, its last one).
    pub version: i64,
    pub actor: String,
    pub request_id: Option<String>,
    pub at: DateTime<Utc>,
    pub payload: EventPayload,
}

impl EventDraft {
    /// The events of this write once it wrote `version` and changed `members`: the write's
    /// own event, an activate or deactivate event when `active` flipped, then member changes
    /// past the first event's share. None when a PATCH changed nothing at all.
    pub fn events(&self, version: i64, members: &MemberDiff) -> Vec<NewEvent> {
        let nothing_changed = self.changes.attributes.is_empty() && members.is_empty();
        if self.operation == Operation::Patch && nothing_changed {
            return Vec::new();
        }
        let mut chunks = member_chunks(members).into_iter();
        let mut attributes = self.changes.attributes.clone();
        if !members.is_empty() && self.operation != Operation::Delete {
            attributes.push("members".into());
        }
        let main = EventPayload {
            attributes,
            previous: self.changes.previous.clone(),
            data: self.resource.clone(),
            members: chunks.next().unwrap_or_default(),
        };
        let mut events = vec![self.event(self.operation, version, main)];
        if let Some(flip) = self.changes.activation {
            let payload = EventPayload {
                attributes: vec!["active".into()],
                ..EventPayload::default()
            };
            events.push(self.event(flip, version, payload));
        }
        for members in chunks {
            let payload = EventPayload {
                attributes: vec!["members".into()],
                members,
                ..EventPayload::default()
            };
            events.push(self.event(Operation::Patch, version, payload));
        }
        events
    }

    /// The event of a group the deleted resource was a member of: it left the group with
    /// the deletion, so the group's `group.updated` (same `txn`) names it as removed.
    pub fn left_group(&self, group: Uuid, version: i64, external_id: Option<String>) -> NewEvent {
        let members = MemberDiff {
            added: Vec::new(),
            removed: vec![self.resource_id],
        };
        self.group_event(group, version, external_id, members)
    }

    /// The event of a group a restored resource rejoined: the mirror of [`Self::left_group`].
    pub fn joined_group(&self, group: Uuid, version: i64, external_id: Option<String>) -> NewEvent {
        let members = MemberDiff {
            added: vec![self.resource_id],
            removed: Vec::new(),
        };
        self.group_event(group, version, external_id, members)
    }

    fn group_event(
        &self,
        group: Uuid,
        version: i64,
        external_id: Option<String>,
        members: MemberDiff,
    ) -> NewEvent {
        NewEvent {
            kind: ResourceKind::Group,
            resource_id: group,
            external_id,
            ..self.event(
                Operation::Patch,
                version,
                EventPayload {
                    attributes: vec!["members".into()],
                    members,
                    ..EventPayload::default()
                },
            )
        }
    }

    fn event(&self, operation: Operation, version: i64, payload: EventPayload) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            txn: self.txn,
            operation,
            kind: self.kind,
            resource_id: self.resource_id,
            external_id: self.external_id.clone(),
            version,
            actor: self.actor.clone(),
            request_id: self.request_id.clone(),
            at: self.at,
            payload,
        }
    }
}

/// Splits a member change into pieces of at most `MEMBERS_PER_EVENT` ids, additions first.
fn member_chunks(members: &MemberDiff) -> Vec<MemberDiff> {
    let mut chunks = Vec::new();
    let mut current = MemberDiff::default();
    let tagged = (members.added.iter().map(|id| (true, *id)))
        .chain(members.removed.iter().map(|id| (false, *id)));
    for (added, id) in tagged {
        if current.added.len() + current.removed.len() == MEMBERS_PER_EVENT {
            chunks.push(std::mem::take(&mut current));
        }
        if added {
            current.added.push(id);
        } else {
            current.removed.push(id);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn draft(operation: Operation, changes: Changes) -> EventDraft {
        EventDraft {
            txn: Uuid::now_v7(),
            operation,
            kind: ResourceKind::Group,
            resource_id: Uuid::now_v7(),
            external_id: None,
            actor: "tok".into(),
            request_id: None,
            at: DateTime::UNIX_EPOCH,
            resource: None,
            changes,
            audit: None,
        }
    }

    #[test]
    fn changes_name_paths_and_keep_previous_values() {
        let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let before = doc(json!({
            "userName": "a", "title": "dev", "active": true,
            enterprise: {"department": "R&D", "costCenter": "1"}
        }));
        let after = doc(json!({
            "userName": "a", "nickName": "b", "active": false,
            enterprise: {"department": "Sales", "costCenter": "1"}
        }));
        let changes = Changes::between(&before, &after, true);
        let mut named = changes.attributes.clone();
        named.sort();
        let mut expected = vec![
            "active".to_owned(),
            "nickName".into(),
            "password".into(),
            "title".into(),
            format!("{enterprise}:department"),
        ];
        expected.sort();
        assert_eq!(named, expected);
        assert_eq!(changes.previous["title"], json!("dev"));
        assert_eq!(changes.previous["nickName"], Value::Null);
        assert_eq!(
            changes.previous[&format!("{enterprise}:department")],
            json!("R&D")
        );
        assert!(!changes.previous.contains_key("password"));
        assert_eq!(changes.activation, Some(Operation::Deactivate));
    }

    #[test]
    fn large_member_changes_continue_in_following_events() {
        let members = MemberDiff {
            added: (0..1500).map(|_| Uuid::now_v7()).collect(),
            removed: (0..700).map(|_| Uuid::now_v7()).collect(),
        };
        let events = draft(Operation::Patch, Changes::default()).events(7, &members);
        assert_eq!(events.len(), 3);
        let carried: usize = events
            .iter()
            .map(|e| e.payload.members.added.len() + e.payload.members.removed.len())
            .sum();
        assert_eq!(carried, 2200);
        assert!(events.iter().all(|e| e.payload.members.added.len()
            + e.payload.members.removed.len()
            <= MEMBERS_PER_EVENT));
        assert!(
            events
                .iter()
                .all(|e| e.txn == events[0].txn && e.version == 7)
        );
        assert_ne!(events[0].id, events[1].id);
    }

    #[test]
    fn a_patch_that_changed_nothing_has_no_event_and_a_flip_has_two() {
        assert!(
            draft(Operation::Patch, Changes::default())
                .events(3, &MemberDiff::default())
                .is_empty()
        );
        let flip = Changes {
            attributes: vec!["active".into()],
            activation: Some(Operation::Activate),
            ..Changes::default()
        };
        let events = draft(Operation::Patch, flip).events(4, &MemberDiff::default());
        let ops: Vec<Operation> = events.iter().map(|e| e.operation).collect();
        assert_eq!(ops, vec![Operation::Patch, Operation::Activate]);
    }
}
