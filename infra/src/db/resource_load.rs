//! Reading one resource with its relations inside a caller's connection or transaction: what
//! a write answers with, and what reads by id use.

use scimgate_domain::authz::VisibleRows;
use scimgate_domain::error::DomainResult;
use scimgate_domain::resource::stored::StoredResource;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::resources;
use super::errors::unavailable;
use super::resource_rows::{attach_relations, from_row};
use super::visible_rows::VisibleSql;

/// Every row of every type: what the store itself, or a caller without a policy, sees.
pub(super) const ALL: &VisibleRows = &VisibleRows {
    users: None,
    groups: None,
};

/// Whether `load` answers `None` for a resource outside the rows of its own type.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum OwnRows {
    Check,
    /// A write's result: the service checked its rows on the document.
    Checked,
}

/// The resource with the relations inside `visible`'s rows; `None` when there is no such
/// resource (or, with `OwnRows::Check`, when it lies outside the rows of its own type).
pub(super) async fn load(
    db: &impl ConnectionTrait,
    visible: VisibleSql<'_>,
    kind: ResourceKind,
    id: Uuid,
    own: OwnRows,
) -> DomainResult<Option<StoredResource>> {
    let mut select = resources::Entity::find_by_id((visible.tenant, id))
        .filter(resources::Column::ResourceType.eq(kind.name()));
    if own == OwnRows::Check
        && let Some(rows) = visible.row_condition(&[kind])?
    {
        select = select.filter(rows);
    }
    let Some(row) = select.one(db).await.map_err(unavailable)? else {
        return Ok(None);
    };
    let mut found = [from_row(row)?];
    attach_relations(db, visible, &mut found).await?;
    let [resource] = found;
    Ok(Some(resource))
}
