//! The in-memory store's rows and the rules every write checks on them: a row per resource
//! (a Group's member ids beside it), relations filled in on read, `userName` unique per
//! tenant ignoring case, members that must be resources of the tenant.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::event::EventDraft;
use crate::resource::stored::{Member, Membership, ResourceWrite, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::tenant::TenantId;

/// A stored row: the document, its version, and a group's member ids.
#[derive(Clone)]
pub(super) struct Row {
    pub(super) tenant: TenantId,
    pub(super) resource: StoredResource,
    pub(super) members: Vec<Uuid>,
}

/// The concurrent writer of a lost race: what it changes before the loser's write lands.
pub type Interloper = Box<dyn Fn(&mut Map<String, Value>) + Send + Sync>;

#[derive(Default)]
pub(super) struct State {
    /// In creation order, as listings without a sort return them.
    pub(super) rows: Vec<Row>,
    /// Events of committed writes, in commit order.
    pub(super) outbox: Vec<EventDraft>,
    /// Conditional writes still to lose, and what the winner writes each time.
    pub(super) races: Vec<Interloper>,
}

pub(super) fn find(state: &State, tenant: TenantId, id: Uuid) -> Option<&Row> {
    state
        .rows
        .iter()
        .find(|row| row.tenant == tenant && row.resource.id == id)
}

pub(super) fn find_mut(state: &mut State, tenant: TenantId, id: Uuid) -> Option<&mut Row> {
    state
        .rows
        .iter_mut()
        .find(|row| row.tenant == tenant && row.resource.id == id)
}

/// The row's resource with its members (a Group) or direct groups (a User) filled in.
pub(super) fn with_relations(state: &State, row: &Row) -> StoredResource {
    let mut resource = row.resource.clone();
    let display = |r: &StoredResource| {
        let text = |key: &str| r.document.get(key).and_then(Value::as_str);
        text("displayName")
            .or_else(|| text("userName"))
            .map(str::to_owned)
    };
    resource.members = row
        .members
        .iter()
        .filter_map(|id| find(state, row.tenant, *id))
        .map(|member| Member {
            id: member.resource.id,
            kind: member.resource.kind,
            display: display(&member.resource),
        })
        .collect();
    resource.groups = state
        .rows
        .iter()
        .filter(|group| group.tenant == row.tenant && group.members.contains(&row.resource.id))
        .map(|group| Membership {
            group_id: group.resource.id,
            display: display(&group.resource),
            direct: true,
        })
        .collect();
    resource
}

/// `Uniqueness` when another User of the tenant has `write`'s userName, ignoring case.
pub(super) fn check_unique(
    state: &State,
    tenant: TenantId,
    write: &ResourceWrite,
) -> DomainResult<()> {
    let Some(name) = &write.indexed.user_name else {
        return Ok(());
    };
    let taken = state.rows.iter().any(|row| {
        row.tenant == tenant
            && row.resource.id != write.id
            && row.resource.kind == ResourceKind::User
            && row
                .resource
                .document
                .get("userName")
                .and_then(Value::as_str)
                .is_some_and(|other| other.eq_ignore_ascii_case(name))
    });
    if taken {
        return Err(DomainError::Uniqueness(format!(
            "userName '{name}' is already taken"
        )));
    }
    Ok(())
}

/// `InvalidValue` when a member is no resource of the tenant.
pub(super) fn check_members(state: &State, tenant: TenantId, members: &[Uuid]) -> DomainResult<()> {
    match members
        .iter()
        .find(|id| find(state, tenant, **id).is_none())
    {
        Some(id) => Err(DomainError::InvalidValue(format!(
            "member '{id}' is not a resource of this tenant"
        ))),
        None => Ok(()),
    }
}

pub(super) fn new_row(tenant: TenantId, write: &ResourceWrite) -> Row {
    Row {
        tenant,
        resource: StoredResource {
            id: write.id,
            kind: write.kind,
            version: 1,
            created: write.at,
            last_modified: write.at,
            document: write.document.clone(),
            members: Vec::new(),
            groups: Vec::new(),
        },
        members: write.members.clone(),
    }
}
