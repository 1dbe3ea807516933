//! A PUT written in its own transaction: the document under the version the service read, a
//! Group's visible members replaced, and the stored result read back for the answer.

use scimgate_domain::error::DomainResult;
use scimgate_domain::event::{EventDraft, MemberDiff};
use scimgate_domain::resource::stored::{ResourceWrite, StoredResource};
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::DatabaseTransaction;

use super::document_writes::update_document;
use super::errors::unavailable;
use super::membership::{insert_members, remove_visible, resolve_members};
use super::membership_patch::visible_member_ids;
use super::outbox;
use super::references::check_references;
use super::resource_load::{OwnRows, load};
use super::value_index::replace_values;
use super::visible_rows::VisibleSql;

/// The stored resource, committed; `None` when its version moved since the service read it
/// (or it is gone) and nothing was written.
pub(super) async fn replace_in_txn(
    txn: DatabaseTransaction,
    visible: VisibleSql<'_>,
    write: &ResourceWrite,
    expected_version: i64,
    event: &EventDraft,
) -> DomainResult<Option<StoredResource>> {
    let tenant = visible.tenant;
    let updated = update_document(&txn, tenant, write, expected_version).await?;
    if updated == 0 {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(None);
    }
    check_references(&txn, tenant, &write.references).await?;
    let mut members_changed = MemberDiff::default();
    if write.kind == ResourceKind::Group {
        let before = visible_member_ids(&txn, visible, write.id).await?;
        remove_visible(&txn, visible, write.id).await?;
        let members = resolve_members(&txn, tenant, &write.members).await?;
        insert_members(&txn, tenant, write.id, &members).await?;
        members_changed = MemberDiff::between(&before, &write.members);
    }
    replace_values(&txn, tenant, write.id, &write.values).await?;
    let stored = load(&txn, visible, write.kind, write.id, OwnRows::Checked).await?;
    if let Some(stored) = &stored {
        let events = event.events(stored.version, &members_changed);
        outbox::record(&txn, tenant, events).await?;
    }
    txn.commit().await.map_err(unavailable)?;
    Ok(stored)
}
