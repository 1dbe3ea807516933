//! Restoring a soft-deleted resource in one transaction: the archive row is taken (so two
//! restores cannot both succeed), the resource row written back with its id, created date
//! and password hash at the archived version plus one, its value index rebuilt, and the
//! memberships whose other side still exists put back, with a `created` event and a
//! `group.updated` naming it added for each group it rejoins.

use scimgate_domain::error::DomainResult;
use scimgate_domain::event::{EventDraft, MemberDiff};
use scimgate_domain::resource::stored::{ResourceWrite, StoredResource};
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use super::document_writes::uniqueness_error;
use super::entities::{archived_resources as ar, resources};
use super::errors::{on_write, unavailable};
use super::guard_rails::take_seat;
use super::membership::{CHUNK, insert_members, member_gone};
use super::new_rows::resource_row;
use super::outbox;
use super::resource_counts;
use super::resource_load::{OwnRows, load};
use super::resource_rows::micros;
use super::value_index::insert_values;
use super::visible_rows::VisibleSql;

/// Restores `write.id` in `txn` (holding the audit entry) and commits; `None` when the
/// archive holds no restorable resource of that id and kind.
pub async fn restore_resource(
    txn: DatabaseTransaction,
    visible: VisibleSql<'_>,
    tenant: Uuid,
    write: &ResourceWrite,
    event: &EventDraft,
) -> DomainResult<Option<StoredResource>> {
    if write.takes_seat {
        take_seat(&txn, tenant).await?;
    }
    let Some(archived) = take_archived(&txn, tenant, write).await? else {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(None);
    };
    let at = micros(write.at);
    let version = archived.version + 1;
    let mut row = resource_row(tenant, write, at);
    row.version = version;
    row.created = archived.created;
    row.password_hash = archived.password_hash;
    resources::Entity::insert(resources::ActiveModel::from(row).reset_all())
        .exec_without_returning(&txn)
        .await
        .map_err(|err| on_write(err, || uniqueness_error(write), member_gone))?;
    insert_values(&txn, tenant, write.id, &write.values).await?;
    let members = existing(&txn, tenant, &ids(archived.member_ids), None).await?;
    let members: Vec<(Uuid, String)> = members.into_iter().map(|m| (m.id, m.kind)).collect();
    insert_members(&txn, tenant, write.id, &members).await?;
    let groups = ids(archived.group_ids);
    let groups = existing(&txn, tenant, &groups, Some(ResourceKind::Group)).await?;
    for group in &groups {
        insert_members(
            &txn,
            tenant,
            group.id,
            &[(write.id, write.kind.name().to_owned())],
        )
        .await?;
    }
    let added = MemberDiff {
        added: members.iter().map(|(id, _)| *id).collect(),
        removed: Vec::new(),
    };
    let mut events = event.events(version, &added);
    events.extend(
        groups
            .into_iter()
            .map(|g| event.joined_group(g.id, g.version, g.external_id)),
    );
    outbox::record(&txn, tenant, events).await?;
    let stored = load(&txn, visible, write.kind, write.id, OwnRows::Checked).await?;
    resource_counts::adjust(&txn, tenant, write.kind, write.id, 1).await?;
    txn.commit().await.map_err(unavailable)?;
    Ok(stored)
}

/// Deletes the archive row of `write` and returns what it held; the delete takes the row's
/// lock, so a concurrent restore of the same id finds nothing once this one commits.
async fn take_archived(
    txn: &DatabaseTransaction,
    tenant: Uuid,
    write: &ResourceWrite,
) -> DomainResult<Option<ar::Model>> {
    let restorable = || {
        ar::Entity::find()
            .filter(ar::Column::TenantId.eq(tenant))
            .filter(ar::Column::Id.eq(write.id))
            .filter(ar::Column::ResourceType.eq(write.kind.name()))
            .filter(ar::Column::PurgedAt.is_null())
    };
    let taken = ar::Entity::delete_many()
        .filter(ar::Column::TenantId.eq(tenant))
        .filter(ar::Column::Id.eq(write.id))
        .filter(ar::Column::ResourceType.eq(write.kind.name()))
        .filter(ar::Column::PurgedAt.is_null());
    let Some(row) = restorable().one(txn).await.map_err(unavailable)? else {
        return Ok(None);
    };
    if taken.exec(txn).await.map_err(unavailable)?.rows_affected == 0 {
        return Ok(None);
    }
    Ok(Some(row))
}

fn ids(json: Option<serde_json::Value>) -> Vec<Uuid> {
    json.and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default()
}

/// A resource that still exists, as a restored membership needs it.
struct Existing {
    id: Uuid,
    kind: String,
    version: i64,
    external_id: Option<String>,
}

/// Which of `ids` are resources of the tenant (of `kind` when given).
async fn existing(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
    kind: Option<ResourceKind>,
) -> DomainResult<Vec<Existing>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut select = resources::Entity::find()
            .select_only()
            .column(resources::Column::Id)
            .column(resources::Column::ResourceType)
            .column(resources::Column::Version)
            .column(resources::Column::ExternalId)
            .filter(resources::Column::TenantId.eq(tenant))
            .filter(resources::Column::Id.is_in(chunk.iter().copied()));
        if let Some(kind) = kind {
            select = select.filter(resources::Column::ResourceType.eq(kind.name()));
        }
        let rows: Vec<(Uuid, String, i64, Option<String>)> =
            select.into_tuple().all(db).await.map_err(unavailable)?;
        found.extend(
            rows.into_iter()
                .map(|(id, kind, version, external_id)| Existing {
                    id,
                    kind,
                    version,
                    external_id,
                }),
        );
    }
    Ok(found)
}
