//! `sortBy` as an ORDER BY expression: a column where there is one, else the primary (or
//! first) value of the attribute in the value index. Missing values sort last ascending and
//! first descending (RFC 7644 §3.4.2.3); the id breaks ties so pages are stable.

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::filter::lookup;
use scimgate_domain::resource::kind::ResourceKind;
use scimgate_domain::resource::searchable::path_key;
use scimgate_domain::schema::{AttributeType, SchemaRegistry};
use scimgate_domain::service::list_query::Sort;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, NullOrdering, Order, Query, SelectStatement};
use uuid::Uuid;

use super::column_target::column_target;
use super::entities::{resource_values as rv, resources};

/// Adds the ORDER BY clauses of `sort` (or creation order) to `select`.
pub fn apply_sort(
    select: &mut SelectStatement,
    registry: &SchemaRegistry,
    kind: ResourceKind,
    tenant: Uuid,
    sort: Option<&Sort>,
) -> DomainResult<()> {
    if let Some(sort) = sort {
        let key = sort_key(registry, kind, tenant, sort)?;
        let (order, nulls) = if sort.descending {
            (Order::Desc, NullOrdering::First)
        } else {
            (Order::Asc, NullOrdering::Last)
        };
        select.order_by_expr_with_nulls(key, order, nulls);
    }
    select.order_by((resources::Entity, resources::Column::Id), Order::Asc);
    Ok(())
}

fn sort_key(
    registry: &SchemaRegistry,
    kind: ResourceKind,
    tenant: Uuid,
    sort: &Sort,
) -> DomainResult<Expr> {
    let unsortable =
        || DomainError::InvalidQuery(format!("cannot sort by '{}'", sort.path.attribute));
    let attr = lookup(registry, kind, &sort.path).ok_or_else(unsortable)?;
    if let Some(target) = column_target(kind, &attr)? {
        return Ok(target.sort_expr().unwrap_or_else(|| Expr::cust("1")));
    }
    if matches!(
        (kind, attr.attribute.name),
        (ResourceKind::Group, "members") | (ResourceKind::User, "groups")
    ) {
        return Err(unsortable());
    }
    let extension = attr
        .schema
        .filter(|urn| *urn != registry.core_schema(kind).id);
    let key = path_key(extension, attr.attribute.name, attr.sub.map(|s| s.name));
    let value_column = match attr.leaf().ty {
        AttributeType::Integer | AttributeType::Decimal => rv::Column::ValueNum,
        _ => rv::Column::ValueNorm,
    };
    let v = Alias::new("s");
    let mut first_value = Query::select();
    first_value
        .column((v.clone(), value_column))
        .from_as(rv::Entity, v.clone())
        .and_where(Expr::col((v.clone(), rv::Column::TenantId)).eq(tenant))
        .and_where(
            Expr::col((v.clone(), rv::Column::ResourceId))
                .equals((resources::Entity, resources::Column::Id)),
        )
        .and_where(Expr::col((v.clone(), rv::Column::AttrPath)).eq(key))
        .order_by((v.clone(), rv::Column::IsPrimary), Order::Desc)
        .order_by((v, rv::Column::Element), Order::Asc)
        .limit(1);
    Ok(Expr::SubQuery(None, Box::new(first_value.into())))
}
