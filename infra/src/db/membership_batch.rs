//! Membership PATCHes of one group written in one transaction (`membership_combiner` gathers
//! them). Each keeps its own meaning: the patches apply in arrival order, each learns the
//! members it really added and removed and gets its own version (a patch that changed
//! nothing keeps the version it found, RFC 7644 §3.5.2.1), its own events and audit entry.
//! The database sees only the net change of the whole batch: one read of the members
//! concerned, one delete, one insert, one version update.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use scimgate_domain::error::DomainResult;
use scimgate_domain::event::{EventDraft, MemberDiff};
use scimgate_domain::ports::{PatchWrite, WriteOutcome};
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::document_writes::{current_version, lock_row};
use super::entities::resources;
use super::errors::unavailable;
use super::membership::{insert_members, present_members, remove_members, resolve_members};
use super::outbox;
use super::write_txn::WriteTxns;

/// One membership PATCH: members named for adding and for removal (never a clear or a
/// removal by filter, whose members depend on what the writer may see).
pub struct MemberEdit {
    pub add: Vec<Uuid>,
    pub remove: Vec<Uuid>,
    pub at: DateTime<Utc>,
    pub event: EventDraft,
}

impl MemberEdit {
    /// The edit a PATCH makes, when it only adds or removes named members of a group.
    pub fn of(write: &PatchWrite<'_>) -> Option<Self> {
        let combinable = write.kind == ResourceKind::Group
            && write.document.is_none()
            && !write.membership.clear
            && write.membership.remove_matching.is_empty();
        combinable.then(|| Self {
            add: write.membership.add.clone(),
            remove: write.membership.remove.clone(),
            at: write.at,
            event: write.event.clone(),
        })
    }
}

/// How each edit of a batch went; `Err` when the batch as a whole could not be written
/// (then none of it was, and each edit should be tried alone to learn its own answer).
pub async fn write_member_edits(
    writes: &WriteTxns,
    tenant: Uuid,
    group: Uuid,
    edits: &[MemberEdit],
) -> DomainResult<Vec<WriteOutcome>> {
    let entries: Vec<_> = edits
        .iter()
        .filter_map(|e| e.event.audit.as_ref())
        .collect();
    let txn = match entries.as_slice() {
        [only] if edits.len() == 1 => writes.begin(Some(only)).await?,
        _ => writes.begin(None).await?,
    };
    if lock_row(&txn, tenant, ResourceKind::Group, group).await? == 0 {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(edits.iter().map(|_| WriteOutcome::Missing).collect());
    }
    if edits.len() > 1 {
        writes.add_entries(&txn, &entries).await?;
    }
    let named: Vec<Uuid> = unique(edits.iter().flat_map(|e| e.add.iter().chain(&e.remove)));
    let before = present_members(&txn, tenant, group, &named).await?;
    let diffs = replay(&before, edits.iter().map(|e| (&e.add[..], &e.remove[..])));
    let after = members_after(&before, &diffs);
    let leaving: Vec<Uuid> = before.difference(&after).copied().collect();
    remove_members(&txn, tenant, group, &leaving).await?;
    // Every named addition must be a resource of the tenant, as for a patch alone; only
    // those the batch really brings in are inserted.
    let all_added = unique(edits.iter().flat_map(|e| &e.add));
    let resolved = resolve_members(&txn, tenant, &all_added).await?;
    let inserted: Vec<(Uuid, String)> = resolved
        .into_iter()
        .filter(|(id, _)| after.contains(id) && !before.contains(id))
        .collect();
    insert_members(&txn, tenant, group, &inserted).await?;
    let mut version = current_version(&txn, tenant, group).await?;
    let mut outcomes = Vec::with_capacity(edits.len());
    let mut events = Vec::new();
    let mut last_change = None;
    for (edit, diff) in edits.iter().zip(&diffs) {
        if !diff.is_empty() {
            version += 1;
            last_change = Some(edit.at);
        }
        events.extend(edit.event.events(version, diff));
        outcomes.push(WriteOutcome::Written { version });
    }
    if let Some(at) = last_change {
        set_version(&txn, tenant, group, version, at).await?;
    }
    outbox::record(&txn, tenant, events).await?;
    txn.commit().await.map_err(unavailable)?;
    Ok(outcomes)
}

/// Each edit's net change, applied in order to the members among those named that the
/// group held `before`, with a lone PATCH's rules: a member both added and removed stays,
/// adding one already there or removing one that is not changes nothing.
fn replay<'a>(
    before: &HashSet<Uuid>,
    edits: impl Iterator<Item = (&'a [Uuid], &'a [Uuid])>,
) -> Vec<MemberDiff> {
    let mut members = before.clone();
    edits
        .map(|(add, remove)| {
            let kept: HashSet<Uuid> = add.iter().copied().collect();
            let removed: Vec<Uuid> = unique(remove.iter().filter(|id| !kept.contains(id)))
                .into_iter()
                .filter(|id| members.remove(id))
                .collect();
            let added: Vec<Uuid> = unique(add)
                .into_iter()
                .filter(|id| members.insert(*id))
                .collect();
            MemberDiff { added, removed }
        })
        .collect()
}

/// The members among those named once every diff applied.
fn members_after(before: &HashSet<Uuid>, diffs: &[MemberDiff]) -> HashSet<Uuid> {
    let mut members = before.clone();
    for diff in diffs {
        for id in &diff.removed {
            members.remove(id);
        }
        members.extend(diff.added.iter().copied());
    }
    members
}

/// Each id once, in first-seen order.
fn unique<'a>(ids: impl IntoIterator<Item = &'a Uuid>) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect()
}

async fn set_version(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    group: Uuid,
    version: i64,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    resources::Entity::update_many()
        .col_expr(resources::Column::Version, Expr::value(version))
        .col_expr(resources::Column::LastModified, Expr::value(at))
        .filter(resources::Column::TenantId.eq(tenant))
        .filter(resources::Column::Id.eq(group))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::now_v7()).collect()
    }

    fn replayed(before: &HashSet<Uuid>, edits: &[(&[Uuid], &[Uuid])]) -> Vec<MemberDiff> {
        replay(before, edits.iter().copied())
    }

    #[test]
    fn each_edit_learns_its_own_net_change_in_order() {
        let [a, b, c] = ids(3)[..] else {
            unreachable!()
        };
        let before: HashSet<Uuid> = [a].into();
        let edits: [(&[Uuid], &[Uuid]); 4] = [
            (&[a, b], &[]), // a already there
            (&[], &[a, c]), // c never there
            (&[b], &[b]),   // both: stays, and it is there already
            (&[a], &[]),    // back again
        ];

        let diffs = replayed(&before, &edits);

        let expected = [
            (vec![b], vec![]),
            (vec![], vec![a]),
            (vec![], vec![]),
            (vec![a], vec![]),
        ];
        for (diff, (added, removed)) in diffs.iter().zip(expected) {
            assert_eq!((&diff.added, &diff.removed), (&added, &removed));
        }
        assert_eq!(members_after(&before, &diffs), [a, b].into());
    }

    #[test]
    fn a_repeated_member_in_one_edit_counts_once() {
        let [a] = ids(1)[..] else { unreachable!() };
        let diffs = replayed(&HashSet::new(), &[(&[a, a], &[])]);
        assert_eq!(diffs[0].added, vec![a]);
    }
}
