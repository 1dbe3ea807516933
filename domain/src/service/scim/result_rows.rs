//! Whether a write leaves its resource inside the caller's rows. A row filter may name the
//! resource's relations (a `groupFilter` on `members`, a `userFilter` on `groups`); the policy's
//! filters see every relation (`authz::visible_rows`), so the result is then judged with its
//! complete resulting relations, hidden members included, as a listing would judge it. Only
//! such filters cost the extra reads: the members of a large group are read whole.

use std::collections::HashSet;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::authz::Grant;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::filter::{AttrPath, Filter, ResolvedFilter, matches};
use crate::patch::MembershipChange;
use crate::resource::render::render;
use crate::resource::stored::{IndexedValues, Member, Membership, StoredResource};
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;
use crate::service::scim::resources::ResourceService;
use crate::service::scim::write_checks::take_member_ids;

/// What a write will leave, as the caller's row filter judges it.
pub(super) struct Prospect<'a> {
    pub kind: ResourceKind,
    pub id: Uuid,
    /// The new document (a `members` entry in it is ignored: `members` says who they are).
    pub document: &'a Map<String, Value>,
    /// The resulting members and groups; empty when the row filter does not name them.
    pub members: Vec<Member>,
    pub groups: Vec<Membership>,
}

impl<'a> Prospect<'a> {
    pub fn new(
        kind: ResourceKind,
        id: Uuid,
        document: &'a Map<String, Value>,
        members: Vec<Member>,
        groups: Vec<Membership>,
    ) -> Self {
        Self {
            kind,
            id,
            document,
            members,
            groups,
        }
    }
}

/// The member ids a group document names (it keeps them: checks run before the write).
fn member_ids(document: &Map<String, Value>, group_id: Uuid) -> DomainResult<Vec<Uuid>> {
    let mut only = Map::new();
    if let Some(members) = document.get("members") {
        only.insert("members".into(), members.clone());
    }
    take_member_ids(&mut only, group_id)
}

/// Whether the row filter of `kind` names the relation of `kind` (Group `members`, User
/// `groups`), so that a write's result must be judged with them.
pub(super) fn rows_name_relations(grant: &Grant, kind: ResourceKind) -> bool {
    grant
        .row_filter
        .as_ref()
        .is_some_and(|filter| names(filter, kind))
}

fn names(filter: &Filter, kind: ResourceKind) -> bool {
    match filter {
        Filter::And(l, r) | Filter::Or(l, r) => names(l, kind) || names(r, kind),
        Filter::Not(inner) => names(inner, kind),
        Filter::Present(path) | Filter::Compare { path, .. } | Filter::ValuePath { path, .. } => {
            is_relation(path, kind)
        }
    }
}

fn is_relation(path: &AttrPath, kind: ResourceKind) -> bool {
    path.attribute
        .eq_ignore_ascii_case(Relation::of(kind).attribute())
        && path
            .schema
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case(kind.core_schema()))
}

impl ResourceService {
    /// A create or update must leave the resource inside the principal's rows: 403, since
    /// the client named the resource itself.
    pub(super) fn check_result_rows(
        &self,
        grant: &Grant,
        prospect: Prospect<'_>,
        base_url: &str,
    ) -> DomainResult<()> {
        let Some(row_filter) = &grant.row_filter else {
            return Ok(());
        };
        let Prospect {
            kind,
            id,
            document,
            members,
            groups,
        } = prospect;
        let mut resource = document.clone();
        resource.remove("members");
        resource.insert("id".into(), Value::String(id.to_string()));
        // The relations rendered as a read renders them, so the filter sees `type`, `display`.
        let related = StoredResource {
            id,
            kind,
            version: 0,
            created: self.clock.now(),
            last_modified: self.clock.now(),
            document: Map::new(),
            members,
            groups,
        };
        let relation = Relation::of(kind).attribute();
        if let Value::Object(rendered) = render(&related, base_url)
            && let Some(value) = rendered.get(relation)
        {
            resource.insert(relation.into(), value.clone());
        }
        if matches(row_filter, &Value::Object(resource), &self.registry, kind) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "the client's policy does not allow a {} outside its rows",
                kind.name()
            )))
        }
    }

    /// The members of a group a create makes: those its document names.
    pub(super) async fn new_members(
        &self,
        ctx: &RequestContext,
        grant: &Grant,
        kind: ResourceKind,
        id: Uuid,
        document: &Map<String, Value>,
    ) -> DomainResult<Vec<Member>> {
        let mut members = Vec::new();
        if kind == ResourceKind::Group && rows_name_relations(grant, kind) {
            let ids = member_ids(document, id)?;
            self.add_members(ctx, &mut members, &[], &ids).await?;
        }
        Ok(members)
    }

    /// What a PUT of `document` makes of `visible` (the resource as the caller read it): the
    /// group's members outside the caller's rows stay (`ResourceStore::replace`) beside those
    /// the document names; a User keeps its groups.
    pub(super) async fn replaced<'a>(
        &self,
        ctx: &RequestContext,
        grant: &Grant,
        visible: &StoredResource,
        document: &'a Map<String, Value>,
    ) -> DomainResult<Prospect<'a>> {
        let (kind, id) = (visible.kind, visible.id);
        let mut prospect = Prospect::new(kind, id, document, Vec::new(), Vec::new());
        if !rows_name_relations(grant, kind) {
            return Ok(prospect);
        }
        let tenant = ctx.principal.tenant_id;
        let Some(full) = self.store.get(tenant, kind, id).await? else {
            return Ok(prospect);
        };
        if kind == ResourceKind::Group {
            let shown: HashSet<Uuid> = visible.members.iter().map(|m| m.id).collect();
            prospect.members = full
                .members
                .iter()
                .filter(|m| !shown.contains(&m.id))
                .cloned()
                .collect();
            let ids = member_ids(document, id)?;
            self.add_members(ctx, &mut prospect.members, &full.members, &ids)
                .await?;
        }
        prospect.groups = full.groups;
        Ok(prospect)
    }

    /// The members a group will have after a PATCH's `change`, as the store applies it:
    /// clearing and filtered removals touch only members inside the caller's rows, then the
    /// named members go and the added ones come. `full` is the group with all its members.
    pub(super) async fn members_after_patch(
        &self,
        ctx: &RequestContext,
        grant: &Grant,
        full: &StoredResource,
        change: &MembershipChange,
    ) -> DomainResult<Vec<Member>> {
        let mut members = full.members.clone();
        if change.clear || !change.remove_matching.is_empty() {
            let inside: HashSet<Uuid> = if grant.rows.limits_relations_of(ResourceKind::Group) {
                self.store
                    .get_visible(ctx.principal.tenant_id, full.kind, full.id, &grant.rows)
                    .await?
                    .map(|g| g.members.iter().map(|m| m.id).collect())
                    .unwrap_or_default()
            } else {
                members.iter().map(|m| m.id).collect()
            };
            members.retain(|m| {
                !inside.contains(&m.id)
                    || !change.clear
                        && !change
                            .remove_matching
                            .iter()
                            .any(|f| self.member_matches(f, m, &ctx.base_url))
            });
        }
        members.retain(|m| !change.remove.contains(&m.id));
        self.add_members(ctx, &mut members, &full.members, &change.add)
            .await?;
        Ok(members)
    }

    /// Appends the members `ids` names that `members` lacks, as `known` or the store knows
    /// them; an id naming nothing is left out (the write itself refuses it).
    async fn add_members(
        &self,
        ctx: &RequestContext,
        members: &mut Vec<Member>,
        known: &[Member],
        ids: &[Uuid],
    ) -> DomainResult<()> {
        let tenant = ctx.principal.tenant_id;
        for id in ids {
            if members.iter().any(|m| m.id == *id) {
                continue;
            }
            if let Some(member) = known.iter().find(|m| m.id == *id) {
                members.push(member.clone());
                continue;
            }
            for kind in ResourceKind::ALL {
                if let Some(found) = self.store.get_document(tenant, kind, *id).await? {
                    members.push(Member {
                        id: *id,
                        kind,
                        display: IndexedValues::of(&found.document).display,
                    });
                    break;
                }
            }
        }
        Ok(())
    }

    /// Whether a `members[...]` filter of a PATCH `remove` selects `member`.
    /// Whether `member` is one that `selects` (the resolved `members[...]` of a PATCH path)
    /// picks out.
    fn member_matches(&self, selects: &ResolvedFilter, member: &Member, base_url: &str) -> bool {
        let group = StoredResource {
            id: Uuid::nil(),
            kind: ResourceKind::Group,
            version: 0,
            created: self.clock.now(),
            last_modified: self.clock.now(),
            document: Map::new(),
            members: vec![member.clone()],
            groups: Vec::new(),
        };
        let rendered = render(&group, base_url);
        let members = json!({"members": rendered.get("members").cloned().unwrap_or_default()});
        matches(selects, &members, &self.registry, ResourceKind::Group)
    }
}

/// Whether two member lists name the same resources.
pub(super) fn same_members(a: &[Member], b: &[Member]) -> bool {
    let a: HashSet<Uuid> = a.iter().map(|m| m.id).collect();
    let b: HashSet<Uuid> = b.iter().map(|m| m.id).collect();
    a == b
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::filter::{parse, resolve};
    use crate::schema::SchemaRegistry;

    fn named(text: &str, kind: ResourceKind) -> bool {
        let filter = resolve(parse(text).unwrap(), &SchemaRegistry::standard(), kind).unwrap();
        names(&filter, kind)
    }

    #[test]
    fn filters_naming_the_relation_anywhere_are_told_apart() {
        let group = ResourceKind::Group;
        assert!(named("members.value eq \"x\"", group));
        assert!(named("displayName sw \"a\" or not (members pr)", group));
        assert!(named("members[type eq \"Group\"]", group));
        assert!(!named("displayName sw \"a\"", group));
        assert!(named("groups.value eq \"x\"", ResourceKind::User));
        assert!(!named("userName eq \"x\"", ResourceKind::User));
    }
}
