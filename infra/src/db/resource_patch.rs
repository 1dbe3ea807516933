//! A PATCH written in its own transaction: the document (if it changed) under the version the
//! service read, and the membership edits as their net change.

use scimgate_domain::error::DomainResult;
use scimgate_domain::event::MemberDiff;
use scimgate_domain::ports::PatchWrite;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::DatabaseTransaction;

use super::document_writes::{bump_version, current_version, lock_row, update_document};
use super::errors::unavailable;
use super::guard_rails::take_seat;
use super::membership_patch::apply_membership;
use super::outbox;
use super::references::check_references;
use super::value_index::replace_values;
use super::visible_rows::VisibleSql;

/// The version the patch left, committed; `None` when no row was written (the resource is
/// gone, or its version moved since the service read it) and nothing was.
pub(super) async fn patch_in_txn(
    txn: DatabaseTransaction,
    visible: VisibleSql<'_>,
    write: &PatchWrite<'_>,
) -> DomainResult<Option<i64>> {
    let PatchWrite {
        kind,
        id,
        document,
        expected_version,
        membership,
        at,
        event,
        ..
    } = *write;
    let tenant = visible.tenant;
    let changed = match document {
        Some(write) => {
            if write.takes_seat {
                take_seat(&txn, tenant).await?;
            }
            let changed = update_document(&txn, tenant, write, expected_version).await?;
            if changed == 1 {
                check_references(&txn, tenant, &write.references).await?;
                replace_values(&txn, tenant, id, &write.values).await?;
            }
            changed
        }
        None => lock_row(&txn, tenant, kind, id).await?,
    };
    if changed == 0 {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(None);
    }
    let members_changed = if kind == ResourceKind::Group {
        apply_membership(&txn, visible, id, membership).await?
    } else {
        MemberDiff::default()
    };
    // RFC 7644 §3.5.2.1: a patch that changes nothing keeps the version and timestamp.
    if document.is_none() && !members_changed.is_empty() {
        bump_version(&txn, tenant, kind, id, at).await?;
    }
    let version = current_version(&txn, tenant, id).await?;
    outbox::record(&txn, tenant, event.events(version, &members_changed)).await?;
    txn.commit().await.map_err(unavailable)?;
    Ok(Some(version))
}
