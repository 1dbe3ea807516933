//! Attributes answered from columns of `resources` rather than the value index.

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::filter::ResolvedAttr;
use scimgate_domain::schema::kind::ResourceKind;
use sea_orm::sea_query::{Expr, ExprTrait};

use super::entities::resources;

#[derive(Debug, Clone, Copy)]
pub enum ColumnTarget {
    /// A normalised text copy (`user_name_ci`, `display_name_ci`, `external_id`).
    Text(resources::Column),
    Id,
    Time(resources::Column),
    /// `meta.resourceType`: the same for every row of the query.
    Constant(&'static str),
    Version,
}

/// The column holding `attr`, if it has one. `meta` itself and `meta.location` (derived from
/// the request's URL) are not stored: refused here for `sortBy`; filters on them never get
/// this far, as resolution refuses them (`filter/resolve/server_attributes.rs`).
pub fn column_target(
    kind: ResourceKind,
    attr: &ResolvedAttr,
) -> DomainResult<Option<ColumnTarget>> {
    let sub = attr.sub.map(|s| s.name);
    Ok(match (attr.schema.is_none(), attr.attribute.name, sub) {
        (true, "id", None) => Some(ColumnTarget::Id),
        (true, "externalId", None) => Some(ColumnTarget::Text(resources::Column::ExternalId)),
        (true, "meta", Some("created")) => Some(ColumnTarget::Time(resources::Column::Created)),
        (true, "meta", Some("lastModified")) => {
            Some(ColumnTarget::Time(resources::Column::LastModified))
        }
        (true, "meta", Some("resourceType")) => Some(ColumnTarget::Constant(kind.name())),
        (true, "meta", Some("version")) => Some(ColumnTarget::Version),
        (true, "meta", other) => {
            return Err(DomainError::InvalidFilter(format!(
                "meta{} cannot be filtered on",
                other.map(|o| format!(".{o}")).unwrap_or_default()
            )));
        }
        (false, "userName", None) => Some(ColumnTarget::Text(resources::Column::UserNameCi)),
        (false, "displayName", None) if attr.schema == Some(kind.core_schema()) => {
            Some(ColumnTarget::Text(resources::Column::DisplayNameCi))
        }
        _ => None,
    })
}

impl ColumnTarget {
    /// `pr` on this column: set and not empty.
    pub fn present(&self) -> Expr {
        match self {
            Self::Text(column) => {
                let col = Expr::col((resources::Entity, *column));
                col.clone().is_not_null().and(col.ne(""))
            }
            _ => Expr::cust("1 = 1"),
        }
    }

    /// The expression to sort by.
    pub fn sort_expr(&self) -> Option<Expr> {
        match self {
            Self::Text(column) | Self::Time(column) => {
                Some(Expr::col((resources::Entity, *column)))
            }
            Self::Id => Some(Expr::col((resources::Entity, resources::Column::Id))),
            Self::Version => Some(Expr::col((resources::Entity, resources::Column::Version))),
            Self::Constant(_) => None,
        }
    }
}
